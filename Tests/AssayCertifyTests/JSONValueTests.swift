import AssayCertify
import Foundation
import Testing

struct JSONValueTests {
    @Test func roundTripKeepsEveryKind() throws {
        let text = #"{"a":null,"b":true,"c":1.5,"d":"x/y","e":[1,false],"f":{"g":0}}"#
        let value = try JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
        #expect(
            value
                == .object([
                    "a": .null, "b": .bool(true), "c": .number(1.5), "d": .string("x/y"),
                    "e": .array([.number(1), .bool(false)]), "f": .object(["g": .number(0)]),
                ])
        )
        #expect(String(decoding: try SortedKeysJSON.encode(value), as: UTF8.self) == text)
    }

    @Test func booleansAndNumbersStayDistinct() throws {
        let value = try JSONDecoder().decode(JSONValue.self, from: Data("[true, 1, 0, false]".utf8))
        #expect(value == .array([.bool(true), .number(1), .number(0), .bool(false)]))
    }
}

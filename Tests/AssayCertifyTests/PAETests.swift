import AssayCertify
import Foundation
import Testing

struct PAETests {
    @Test func dsseSpecTestVector() {
        let encoded = PAE.encode(payloadType: "http://example.com/HelloWorld", payload: Data("hello world".utf8))
        #expect(encoded == Data("DSSEv1 29 http://example.com/HelloWorld 11 hello world".utf8))
    }

    @Test func lengthsAreByteCountsNotCharacterCounts() {
        // "é" is two UTF-8 bytes; the empty payload still gets its length and trailing space.
        let encoded = PAE.encode(payloadType: "é", payload: Data())
        #expect(encoded == Data("DSSEv1 2 é 0 ".utf8))
    }
}

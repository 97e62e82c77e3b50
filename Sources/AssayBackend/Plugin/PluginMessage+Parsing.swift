import Foundation

extension PluginMessage {
    /// Fields the protocol defines as integers, wherever they occur in a reply header.
    private static let integerKeys: Set<String> = [
        "id", "protocol", "payload_bytes", "nbytes", "index", "shm_offset", "fd",
    ]

    /// Parses and validates one reply header line: strict UTF-8 (the protocol's encoding; no
    /// repair), then JSON, then the reply `expected` (nil: any well-formed reply). A failure
    /// names the real problem — invalid UTF-8 and where, a number out of range, a field that
    /// must be an integer, a missing or mistyped field — rather than Foundation's "not valid JSON".
    /// The per-request replies take `FastReplyDecoder`, which accepts only what this reference
    /// path accepts, with the same value; everything else (errors included) takes the reference.
    static func parse(
        line: ArraySlice<UInt8>,
        answering expected: Expectation?,
        decoder: JSONDecoder = JSONDecoder()
    ) throws -> PluginMessage {
        if let reply = FastReplyDecoder().decode(line, answering: expected) { return reply }
        return try parseReference(line: line, answering: expected, decoder: decoder)
    }

    /// `parse` by `JSONDecoder` and `init(from:)` alone: the definition of what a reply means.
    static func parseReference(
        line: ArraySlice<UInt8>,
        answering expected: Expectation?,
        decoder: JSONDecoder = JSONDecoder()
    ) throws -> PluginMessage {
        guard String(validating: line, as: UTF8.self) != nil else {
            throw PluginIOError.violation(
                "reply header is not valid UTF-8 (first bad byte at offset \(firstInvalidUTF8Offset(line)))"
            )
        }
        decoder.userInfo[Expectation.key] = expected
        do {
            return try decoder.decode(PluginMessage.self, from: Data(line))
        } catch let violation as WireViolation {
            throw PluginIOError.violation(violation.description)
        } catch {
            throw PluginIOError.violation(
                "unreadable reply header (\(diagnose(line, decodingError: error))): \(String(decoding: line.prefix(200), as: UTF8.self))"
            )
        }
    }

    /// Why a UTF-8-valid line did not decode, in the protocol's terms.
    static func diagnose(_ line: ArraySlice<UInt8>, decodingError: Error) -> String {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line))
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
            if detail.hasPrefix("Number "), detail.contains("not representable") {
                return "number out of range: \(detail.dropFirst("Number ".count).prefix { $0 != " " })"
            }
            return "not valid JSON: \(detail)"
        }
        guard object is [String: Any] else { return "not a JSON object" }
        if let problem = integerProblem(in: object, path: "") { return problem }
        return describe(decodingError: decodingError)
    }

    /// The first integer field holding a fraction or a value beyond 64 bits, depth-first.
    private static func integerProblem(in value: Any, path: String, integerField: Bool = false) -> String? {
        switch value {
        case let object as [String: Any]:
            for (key, child) in object.sorted(by: { $0.key < $1.key }) {
                let childPath = path.isEmpty ? key : "\(path).\(key)"
                if let problem = integerProblem(in: child, path: childPath, integerField: integerKeys.contains(key)) {
                    return problem
                }
            }
        case let array as [Any]:
            let elementsAreIntegers = path.hasSuffix("shape")
            for (index, child) in array.enumerated() {
                if let problem = integerProblem(in: child, path: "\(path)[\(index)]", integerField: elementsAreIntegers)
                {
                    return problem
                }
            }
        case let number as NSNumber where integerField && !(value is Bool):
            let double = number.doubleValue
            if double.isFinite, double != double.rounded() { return "\(path) must be an integer (got \(number))" }
            if Int64(exactly: double) == nil || abs(double) >= 9.2e18 {
                return "number out of range: \(path) = \(number)"
            }
        default:
            break
        }
        return nil
    }

    /// Bytes before the first ill-formed sequence (overlong forms and surrogates count as ill-formed).
    private static func firstInvalidUTF8Offset(_ line: ArraySlice<UInt8>) -> Int {
        var iterator = line.makeIterator()
        var parser = Unicode.UTF8.ForwardParser()
        var offset = 0
        while case .valid(let scalar) = parser.parseScalar(from: &iterator) { offset += scalar.count }
        return offset
    }

    /// A decoding error in the protocol's terms: the field's path as the JSON spells it
    /// (`outputs[0].nbytes`) and what was wrong with it.
    static func describe(decodingError error: Error) -> String {
        func path(_ codingPath: [CodingKey], _ last: CodingKey? = nil) -> String {
            (codingPath + (last.map { [$0] } ?? [])).reduce("") { text, key in
                if let index = key.intValue { return "\(text)[\(index)]" }
                return text.isEmpty ? key.stringValue : "\(text).\(key.stringValue)"
            }
        }
        switch error as? DecodingError {
        case .keyNotFound(let key, let context):
            return "\(path(context.codingPath, key)): missing"
        case .typeMismatch(let type, let context):
            return "\(path(context.codingPath)): expected \(wireName(of: type)) (\(context.debugDescription))"
        case .valueNotFound(let type, let context):
            return "\(path(context.codingPath)): expected \(wireName(of: type)), found null"
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            return field.isEmpty ? context.debugDescription : "\(field): \(context.debugDescription)"
        default:
            return "\(error)"
        }
    }

    /// How the protocol names a Swift type a field must have.
    private static func wireName(of type: Any.Type) -> String {
        switch type {
        case is Int.Type, is Int?.Type: "an integer"
        case is Double.Type, is Double?.Type: "a number"
        case is String.Type, is String?.Type: "a string"
        case is Bool.Type: "a boolean"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}

import AssayCore
import Foundation

/// `--json` output of the listing commands: one JSON document on stdout in the record dialect
/// (sorted keys, NaN as "nan"), so scripts read it with any JSON parser.
enum JSONOutput {
    static func print<Value: Encodable>(_ value: Value) throws {
        var data = try RecordCoding.encoder().encode(value)
        data.append(0x0A)
        FileHandle.standardOutput.write(data)
    }
}

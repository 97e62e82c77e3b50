/// Parsers for the three key/value shapes Linux uses in /etc and /proc.
enum KeyValueText {
    /// `KEY=value` lines as in `/etc/os-release`: values may be double- or single-quoted
    /// with backslash escapes (a shell subset, per os-release(5)); `#` lines are comments.
    static func shellAssignments(_ text: String) -> [String: String] {
        var result: [String: String] = [:]
        for raw in text.lines {
            let line = raw.trimmingWhitespace
            guard !line.isEmpty, !line.hasPrefix("#"), let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingWhitespace
            guard !key.isEmpty else { continue }
            result[key] = unquote(String(line[line.index(after: equals)...]))
        }
        return result
    }

    static func unquote(_ value: String) -> String {
        guard let quote = value.first, quote == "\"" || quote == "'" else { return value.trimmingWhitespace }
        var output = ""
        var escaped = false
        for character in value.dropFirst() {
            if escaped {
                output.append(character)
                escaped = false
            } else if character == "\\" && quote == "\"" {
                escaped = true
            } else if character == quote {
                break
            } else {
                output.append(character)
            }
        }
        return output
    }

    /// `key : value` records separated by blank lines, as in `/proc/cpuinfo`.
    /// Keys are trimmed and lower-cased (x86 writes `model name`, LoongArch `Model Name`).
    static func colonRecords(_ text: String) -> [[String: String]] {
        var records: [[String: String]] = []
        var current: [String: String] = [:]
        for line in text.lines {
            if line.trimmingWhitespace.isEmpty {
                if !current.isEmpty {
                    records.append(current)
                    current = [:]
                }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = String(line[..<colon]).trimmingWhitespace.lowercased()
            current[key] = String(line[line.index(after: colon)...]).trimmingWhitespace
        }
        if !current.isEmpty { records.append(current) }
        return records
    }

    /// `Key:   12345 kB` lines as in `/proc/meminfo`, to the leading integer.
    /// A `Node <n> ` prefix (per-node meminfo in sysfs) is dropped.
    static func meminfo(_ text: String) -> [String: Int] {
        var result: [String: Int] = [:]
        for line in text.lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            var key = String(line[..<colon]).trimmingWhitespace
            if key.hasPrefix("Node "), let space = key.dropFirst(5).firstIndex(of: " ") {
                key = String(key[key.index(after: space)...])
            }
            let value = line[line.index(after: colon)...].split(separator: " ").first
            if let value, let number = Int(value) { result[key] = number }
        }
        return result
    }
}

import Foundation

/// The variables a target descriptor's backend `command`, `fallback_command`, `cwd` and `env`
/// values may use: `${DESCRIPTOR_DIR}` (the folder holding the descriptor file) and
/// `${env:NAME}` (the harness's environment). `$${` writes a literal `${`. They are expanded
/// when a run or a check starts a backend, before `BackendSpec.resolved(root:)`; a descriptor
/// read only to list or resume it keeps the text as written (a resumed run starts the backend
/// it recorded, so a variable unset later does not stop it).
public struct DescriptorVariables: Sendable, Equatable {
    /// Absolute folder of the descriptor file (for a built-in: `<workspace>/Targets`, where
    /// `assay init` writes its copy).
    public var descriptorDirectory: String
    public var environment: [String: String]

    public init(descriptorDirectory: String, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.descriptorDirectory = descriptorDirectory
        self.environment = environment
    }

    /// `value`'s string with every variable replaced; with `variables` nil only checked, so a bad
    /// reference is an error at its line whether or not the descriptor is started.
    static func expand(_ value: YAMLValue, with variables: DescriptorVariables?) throws -> String {
        let text = try value.string()
        var output = ""
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            output += rest[..<dollar]
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("${") {
                output += "${"
                rest = after.dropFirst(2)
                continue
            }
            guard after.hasPrefix("{") else {
                output += "$"
                rest = after
                continue
            }
            guard let close = after.firstIndex(of: "}") else {
                throw value.error("unterminated '${' (write $${ for a literal '${')")
            }
            let name = String(after[after.index(after: after.startIndex)..<close])
            output += try lookUp(name, in: value, variables: variables)
            rest = after[after.index(after: close)...]
        }
        // Unexpanded, the text stays as written (a later expansion reads it again).
        return variables == nil ? text : output + rest
    }

    private static func lookUp(_ name: String, in value: YAMLValue, variables: DescriptorVariables?) throws -> String {
        if name == "DESCRIPTOR_DIR" { return variables?.descriptorDirectory ?? "${DESCRIPTOR_DIR}" }
        guard name.hasPrefix("env:") else {
            throw value.error("unknown variable '${\(name)}' (known: ${DESCRIPTOR_DIR}, ${env:NAME})")
        }
        let key = String(name.dropFirst(4))
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_".unicodeScalars)
        guard let first = key.unicodeScalars.first, !("0"..."9").contains(Character(first)),
            key.unicodeScalars.allSatisfy(allowed.contains)
        else {
            throw value.error(
                "'${\(name)}': an environment variable name is letters, digits and '_', not starting with a digit"
            )
        }
        guard let variables else { return "${\(name)}" }
        guard let found = variables.environment[key] else {
            throw value.error("'${\(name)}': the environment variable \(key) is not set")
        }
        return found
    }
}

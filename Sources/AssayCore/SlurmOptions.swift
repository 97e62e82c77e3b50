import Foundation

/// A descriptor's optional `slurm:` block: what `assay fleet submit` asks Slurm for when it runs
/// this target. Ignored by `assay run`. See docs/FLEET.md.
public struct SlurmOptions: Codable, Sendable, Equatable {
    public var partition: String?
    /// Generic resources, e.g. `npu:8` (`--gres`).
    public var gres: String?
    /// Node features (`--constraint`).
    public var constraint: String?
    /// Slurm's time format: `minutes`, `minutes:seconds`, `hours:minutes:seconds`, `days-hours`,
    /// `days-hours:minutes`, `days-hours:minutes:seconds` (`--time`).
    public var timeLimit: String?
    public var account: String?
    /// Further `sbatch` options, each one argument such as `--qos=high` or `--exclusive`.
    public var extraOptions: [String]
    /// The descriptor line of each field given (`partition`, `gres`…, and `slurm` for the block),
    /// so an sbatch refusal can name the line it comes from. Not part of the record.
    public var lines: [String: Int]

    enum CodingKeys: String, CodingKey { case partition, gres, constraint, timeLimit, account, extraOptions }

    public init(
        partition: String? = nil,
        gres: String? = nil,
        constraint: String? = nil,
        timeLimit: String? = nil,
        account: String? = nil,
        extraOptions: [String] = [],
        lines: [String: Int] = [:]
    ) {
        self.partition = partition
        self.gres = gres
        self.constraint = constraint
        self.timeLimit = timeLimit
        self.account = account
        self.extraOptions = extraOptions
        self.lines = lines
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            partition: try container.decodeIfPresent(String.self, forKey: .partition),
            gres: try container.decodeIfPresent(String.self, forKey: .gres),
            constraint: try container.decodeIfPresent(String.self, forKey: .constraint),
            timeLimit: try container.decodeIfPresent(String.self, forKey: .timeLimit),
            account: try container.decodeIfPresent(String.self, forKey: .account),
            extraOptions: try container.decodeIfPresent([String].self, forKey: .extraOptions) ?? []
        )
    }

    /// Equal when they ask Slurm for the same thing, wherever they were written.
    public static func == (lhs: SlurmOptions, rhs: SlurmOptions) -> Bool {
        lhs.sbatchArguments == rhs.sbatchArguments
    }

    /// The `sbatch` arguments these options stand for.
    public var sbatchArguments: [String] {
        var arguments: [String] = []
        if let partition { arguments.append("--partition=\(partition)") }
        if let gres { arguments.append("--gres=\(gres)") }
        if let constraint { arguments.append("--constraint=\(constraint)") }
        if let timeLimit { arguments.append("--time=\(timeLimit)") }
        if let account { arguments.append("--account=\(account)") }
        return arguments + extraOptions
    }

    /// Whether `text` is a time limit Slurm accepts (see `timeLimit`), or `UNLIMITED`/`INFINITE`.
    public static func isTimeLimit(_ text: String) -> Bool {
        if ["UNLIMITED", "INFINITE"].contains(text.uppercased()) { return true }
        var rest = Substring(text)
        if let dash = rest.firstIndex(of: "-") {
            guard isNumber(rest[..<dash]) else { return false }
            rest = rest[rest.index(after: dash)...]
        }
        // Without days: minutes[:seconds] or hours:minutes:seconds; with days: hours[:minutes[:seconds]].
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        return (1...3).contains(parts.count) && parts.allSatisfy(isNumber)
    }

    private static func isNumber(_ text: Substring) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isASCII && $0.isNumber }
    }
}

extension SlurmOptions {
    /// Options `assay fleet` sets itself; a descriptor may not override them.
    static let reservedOptions = [
        "--array", "--output", "--error", "--chdir", "--parsable", "--wrap", "--job-name",
        "-a", "-o", "-e", "-D", "-J",
    ]

    init(yaml: YAMLValue) throws {
        let map = try yaml.mapping(allowed: [
            "partition", "gres", "constraint", "time_limit", "account", "extra_sbatch_options",
        ])
        func word(_ key: String) throws -> String? {
            guard let value = map[key] else { return nil }
            let text = try value.string()
            guard !text.isEmpty, !text.contains(where: { $0.isWhitespace || $0.isNewline }) else {
                throw value.error("must be one non-empty word, found \(text.debugDescription)")
            }
            return text
        }
        var lines: [String: Int] = [:]
        if let line = yaml.line { lines["slurm"] = line }
        for (key, value) in map.entries { lines[key] = value.line }
        self.init(
            partition: try word("partition"),
            gres: try word("gres"),
            constraint: try word("constraint"),
            timeLimit: try word("time_limit"),
            account: try word("account"),
            lines: lines
        )
        if let value = map["time_limit"], let timeLimit, !Self.isTimeLimit(timeLimit) {
            throw value.error(
                "'\(timeLimit)' is not a Slurm time limit (minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS)"
            )
        }
        if let value = map["extra_sbatch_options"] {
            for item in try value.sequence() {
                let option = try item.string()
                guard option.hasPrefix("-"), !option.contains(where: \.isNewline) else {
                    throw item.error(
                        "'\(option)' is not an sbatch option (one argument starting with '-', e.g. --qos=high)"
                    )
                }
                let name = String(option.split(separator: "=", maxSplits: 1)[0])
                guard !Self.reservedOptions.contains(name) else {
                    throw item.error("'\(name)' is set by assay fleet itself and cannot be given here")
                }
                extraOptions.append(option)
            }
        }
    }
}

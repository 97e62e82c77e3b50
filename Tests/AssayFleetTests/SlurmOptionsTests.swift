import AssayCore
import Testing

/// The descriptor's `slurm:` block: parsed into sbatch options, refused with file:line:field.
struct SlurmOptionsTests {
    static func descriptor(_ slurm: String) -> String {
        "id: t\nkind: cpu\nbackend:\n  builtin: cpu\nslurm:\n" + slurm
    }

    @Test("every field becomes its sbatch option, extra options last, with the line of each field")
    func parsesEveryField() throws {
        let text = Self.descriptor(
            """
              partition: npu
              gres: "npu:8"
              constraint: kunpeng
              time_limit: "1-02:00:00"
              account: lab
              extra_sbatch_options: [--qos=high, --exclusive]
            """
        )
        let slurm = try #require(try TargetDescriptor.parse(text: text, file: "Targets/t.yaml").slurm)
        #expect(
            slurm.sbatchArguments == [
                "--partition=npu", "--gres=npu:8", "--constraint=kunpeng", "--time=1-02:00:00",
                "--account=lab", "--qos=high", "--exclusive",
            ]
        )
        #expect(slurm.lines["partition"] == 6 && slurm.lines["extra_sbatch_options"] == 11)
        #expect(
            try TargetDescriptor.parse(text: "id: t\nkind: cpu\nbackend:\n  builtin: cpu\n", file: "x").slurm == nil
        )
    }

    @Test(
        "Slurm's time formats are accepted and nothing else",
        arguments: [
            ("30", true), ("30:15", true), ("2:30:00", true), ("1-0", true), ("1-2:30", true), ("1-2:30:00", true),
            ("UNLIMITED", true),
            ("", false), ("1h", false), ("1:2:3:4", false), ("-1", false), ("1-", false), (":30", false),
            ("1-2-3", false),
        ]
    )
    func timeLimits(text: String, accepted: Bool) {
        #expect(SlurmOptions.isTimeLimit(text) == accepted)
    }

    @Test(
        "bad blocks are refused naming file, line and field",
        arguments: [
            ("  partition: [a, b]\n", "Targets/t.yaml:6:14: slurm.partition: expected a string"),
            ("  partition: two words\n", "Targets/t.yaml:6:14: slurm.partition: must be one non-empty word"),
            ("  time_limit: 2h\n", "Targets/t.yaml:6:15: slurm.time_limit: '2h' is not a Slurm time limit"),
            ("  nodes: 2\n", "Targets/t.yaml:6:3: slurm: unknown key 'nodes'"),
            (
                "  extra_sbatch_options: [qos=high]\n",
                "Targets/t.yaml:6:26: slurm.extra_sbatch_options[0]: 'qos=high' is not an sbatch option"
            ),
            (
                "  extra_sbatch_options: [--array=0-3]\n",
                "Targets/t.yaml:6:26: slurm.extra_sbatch_options[0]: '--array' is set by assay fleet itself"
            ),
        ]
    )
    func refusals(block: String, expected: String) {
        do {
            _ = try TargetDescriptor.parse(text: Self.descriptor(block), file: "Targets/t.yaml")
            Issue.record("accepted: \(block)")
        } catch {
            #expect("\(error)".hasPrefix(expected), "\(error)")
        }
    }

    @Test("a run record that carries a slurm: block reads back with the same options")
    func roundTrips() throws {
        let descriptor = try TargetDescriptor.parse(
            text: Self.descriptor("  partition: npu\n  gres: gpu:1\n"),
            file: "x"
        )
        let decoded = try RecordCoding.decoder().decode(
            TargetDescriptor.self,
            from: RecordCoding.encoder().encode(descriptor)
        )
        #expect(decoded == descriptor)
        #expect(decoded.slurm?.sbatchArguments == ["--partition=npu", "--gres=gpu:1"])
        #expect(decoded.slurm?.lines.isEmpty == true, "lines are where the text was, not part of the record")
    }
}

import Testing

@testable import AssayCore

/// Collective suite entries, multi-rank descriptors and the collective arithmetic (bus factors,
/// counts, expected results), each also against a wrong input.
struct CollectiveInputTests {
    func suiteError(_ cases: String) -> InputError? {
        do {
            _ = try Suite.parse(
                text: "id: c\nkind: collective\ncases:\n" + cases,
                file: "Suites/c.yaml",
                validator: nil
            )
            return nil
        } catch let error as InputError { return error } catch { return nil }
    }

    @Test func aSweepExpandsByItsFactorAndAListKeepsItsUnits() throws {
        let suite = try Suite.parse(
            text: """
                id: c
                kind: collective
                cases:
                  - {op: all_reduce, dtypes: [bf16, int8], sizes: {from: 8, to: 1 KiB, factor: 4}}
                  - {op: broadcast, sizes: [64 KiB, 1 MiB], root: 1, in_place: true}
                """,
            file: "Suites/c.yaml",
            validator: nil
        )
        #expect(suite.entries[0].sizes == [8, 32, 128, 512] && suite.entries[0].dtypes == [.bf16, .int8])
        #expect(
            suite.entries[1].sizes == [65536, 1 << 20] && suite.entries[1].root == 1 && suite.entries[1].inPlace == true
        )
        #expect(suite.entries[1].dtypes == [.f32] && suite.entries.allSatisfy { $0.kind == .collective })
    }

    @Test func badCollectiveEntriesNameFileLineAndTheMistake() {
        let unknown = suiteError("  - {op: all_reduse, sizes: [8]}\n")
        #expect(
            unknown?.line == 4 && unknown?.message.contains("unknown collective 'all_reduse'") == true,
            "\(String(describing: unknown))"
        )
        #expect(
            suiteError("  - {op: all_reduce, dtypes: [bool], sizes: [8]}\n")?.message.contains("collectives run in")
                == true
        )
        #expect(suiteError("  - {op: all_reduce}\n")?.message.contains("sizes") == true)
        #expect(
            suiteError("  - {op: all_reduce, sizes: [8], shapes: [{m: 1}]}\n")?.message.contains("take no 'shapes'")
                == true
        )
        #expect(suiteError("  - {op: all_reduce, sizes: {from: 1 KiB, to: 8}}\n")?.message.contains("above") == true)
        #expect(suiteError("  - {op: all_reduce, sizes: [0]}\n")?.message.contains("positive") == true)
        #expect(
            suiteError("  - {op: p2p_copy, sizes: [8], root: 1}\n")?.message.contains(
                "p2p_copy runs every ordered pair of ranks; it takes no root"
            ) == true
        )
        let misplaced = try? Suite.parse(
            text: "id: c\ncases:\n  - {op: relu, shapes: [{shape: [4]}], sizes: [8]}\n",
            file: "Suites/c.yaml",
            validator: nil
        )
        #expect(misplaced == nil)
    }

    @Test func ranksParseShortAndLongAndRefuseMistakes() throws {
        let short = try TargetDescriptor.parse(
            text: "id: t\nkind: server\nbackend: {command: [x], ranks: 4}\n",
            file: "Targets/t.yaml"
        )
        #expect(short.backend.ranks == RankSpec(count: 4))
        let long = try TargetDescriptor.parse(
            text: """
                id: t
                kind: server
                backend:
                  command: [x]
                  ranks: {count: 2, address: 10.0.0.1, port: 29500, per_rank: [{device: "cuda:0", env: {A: "1"}}]}
                capabilities: {link_gbs: 450}
                """,
            file: "Targets/t.yaml"
        )
        #expect(
            long.backend.ranks?.rank(0) == RankSpec.Rank(device: "cuda:0", env: ["A": "1"])
                && long.backend.ranks?.rank(1) == RankSpec.Rank()
        )
        #expect(
            long.backend.ranks?.port == 29500 && long.backend.ranks?.address == "10.0.0.1"
                && long.capabilities.linkGBs == 450
        )
        for (text, message) in [
            ("ranks: 0", "must be 1 or more"),
            ("ranks: {count: 1, per_rank: [{}, {}]}", "2 per_rank entries for 1 ranks"),
            ("ranks: {count: 2, port: 70000}", "port must be in"), ("ranks: {count: 2, hosts: [a]}", "hosts"),
        ] {
            do {
                _ = try TargetDescriptor.parse(
                    text: "id: t\nkind: server\nbackend:\n  command: [x]\n  \(text)\n",
                    file: "Targets/t.yaml"
                )
                Issue.record("accepted \(text)")
            } catch let error as InputError {
                #expect(error.line == 5 && "\(error)".contains(message), "\(error)")
            }
        }
        #expect(throws: InputError.self) {
            try TargetDescriptor.parse(
                text: "id: t\nkind: cpu\nbackend: {builtin: cpu, ranks: 2}\n",
                file: "Targets/t.yaml"
            )
        }
    }

    @Test func busFactorsAreNcclTests() {
        #expect(CollectiveOp.allReduce.busFactor(ranks: 8) == 2.0 * 7 / 8)
        for op in [CollectiveOp.allGather, .reduceScatter, .allToAll] { #expect(op.busFactor(ranks: 4) == 0.75) }
        for op in [CollectiveOp.broadcast, .reduce, .sendRecv] { #expect(op.busFactor(ranks: 8) == 1) }
        var figures = CollectiveFigures(op: .allReduce, ranks: 4, bytes: 1_000_000, inPlace: false, root: 0)
        figures.apply(medianNanoseconds: 1e5, linkGBs: 20)  // 1 MB in 100 µs: 10 GB/s algorithm
        #expect(
            figures.algorithmGBs == 10 && figures.busGBs == 15 && figures.percentOfLink == 75
                && figures.latencyMicroseconds == 100
        )
    }

    @Test func countsRoundToTheRanksAndExpectedResultsFollowThePattern() {
        #expect(CollectiveOp.allGather.count(bytes: 100, dtype: .f32, ranks: 4) == 24)
        #expect(CollectiveOp.allReduce.count(bytes: 100, dtype: .f32, ranks: 4) == 25)
        #expect(CollectiveOp.allToAll.count(bytes: 2, dtype: .f32, ranks: 4) == 4)
        // x_r[i] = ((5r + i) mod 11) − 5 at 2 ranks: x_0 = −5, −4, …; x_1 = 0, 1, …
        #expect(CollectiveOp.allReduce.expected(rank: 1, ranks: 2, count: 8, root: 0, index: 0) == -5)
        #expect(CollectiveOp.allGather.expected(rank: 0, ranks: 2, count: 8, root: 0, index: 5) == 1)  // x_1[1]
        // x_0[4] + x_1[4]
        #expect(CollectiveOp.reduceScatter.expected(rank: 1, ranks: 2, count: 8, root: 0, index: 0) == 3)
        #expect(CollectiveOp.allToAll.expected(rank: 1, ranks: 2, count: 8, root: 0, index: 0) == -1)  // x_0[4]
        #expect(CollectiveOp.sendRecv.expected(rank: 0, ranks: 2, count: 8, root: 0, index: 0) == 0)  // x_1[0]
        #expect(CollectiveOp.reduce.expected(rank: 0, ranks: 2, count: 8, root: 1, index: 0) == nil)
        #expect(CollectiveOp.broadcast.expected(rank: 0, ranks: 2, count: 8, root: 1, index: 2) == 2)
        // p2p_copy from rank 2 to rank 0 of 4: x_2 on rank 0 only; without a peer, to the next rank.
        // x_2[1] = (5·2 + 1) mod 11 − 5
        #expect(CollectiveOp.p2pCopy.expected(rank: 0, ranks: 4, count: 8, root: 2, peer: 0, index: 1) == -5)
        #expect(CollectiveOp.p2pCopy.expected(rank: 3, ranks: 4, count: 8, root: 2, peer: 0, index: 1) == nil)
        #expect(CollectiveOp.p2pCopy.expected(rank: 3, ranks: 4, count: 8, root: 2, index: 1) == -5)
        #expect(
            CollectiveOp.p2pCopy.checks(rank: 0, root: 2, peer: 0)
                && !CollectiveOp.p2pCopy.checks(rank: 2, root: 2, peer: 0)
        )
        #expect(CollectiveOp.p2pCopy.busFactor(ranks: 8) == 1)
        // Sums over 25 ranks stay within int8 and bf16's exact integers.
        let sums = (0..<64).map { index in (0..<25).reduce(0.0) { $0 + CollectiveOp.pattern(rank: $1, index: index) } }
        #expect(sums.allSatisfy { abs($0) <= 125 })
    }
}

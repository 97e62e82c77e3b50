import Testing

@testable import AssayCore

/// The match rules of declared versions, and their validation in a descriptor.
@Suite struct VersionRuleTests {
    @Test func exactPrefixAndRangeMatch() throws {
        #expect(VersionRule.exact("1.26.4").matches("1.26.4"))
        #expect(!VersionRule.exact("1.26").matches("1.26.4"))
        let prefix = VersionRule.prefix("1.26")
        #expect(prefix.matches("1.26") && prefix.matches("1.26.4") && prefix.matches("1.26rc1"))
        #expect(!prefix.matches("1.260") && !prefix.matches("2.4.6"))
        let range = try VersionRule.parse(match: "range", version: ">=2.1,<3")
        #expect(range == .range([.init(op: .atLeast, version: "2.1"), .init(op: .less, version: "3")]))
        #expect(range.matches("2.1") && range.matches("2.4.6") && range.matches("torch 2.3.1+cpu"))
        #expect(!range.matches("2.0.9") && !range.matches("3.0") && !range.matches("unknown"))
        #expect(try VersionRule.parse(match: "range", version: "!=2.2").matches("2.3") == true)
        #expect(try VersionRule.parse(match: "range", version: "==535.161").matches("535.161.0") == true)
        #expect(try VersionRule.parse(match: "range", version: "<=1,>0.9").matches("1.0.1") == false)
    }

    private func failure(_ versions: String) -> InputError? {
        do {
            _ = try TargetDescriptor.parse(
                text: "id: t\nkind: cpu\nbackend: {builtin: cpu}\nversions:\n" + versions,
                file: "Targets/t.yaml"
            )
            return nil
        } catch let error as InputError { return error } catch { return nil }
    }

    @Test func badRulesNameFileLineAndField() throws {
        let unknown = try #require(failure("  numpy: {version: \"1.26\", match: fuzzy}\n"))
        #expect(unknown.file == "Targets/t.yaml" && unknown.line == 5 && unknown.field == "versions.numpy.match")
        #expect(unknown.message == "unknown match rule 'fuzzy' (one of: exact, prefix, range)")
        let clause = try #require(failure("  os: v1\n  numpy: {version: \"2.1-3\", match: range}\n"))
        #expect(clause.line == 6 && clause.field == "versions.numpy.match")
        #expect(clause.message.contains("range clause '2.1-3' must start with one of >= <= == != > <"))
        let number = try #require(failure("  numpy: {version: \">=abc\", match: range}\n"))
        #expect(number.message == "range clause '>=abc' needs a numeric version after >=")
        let key = try #require(failure("  numpy: {version: \"1\", rule: prefix}\n"))
        #expect(key.line == 5 && key.message.contains("unknown key 'rule'"))
        let missing = try #require(failure("  numpy: {match: prefix}\n"))
        #expect(missing.message == "missing required field 'version'" && missing.field == "versions.numpy.version")
    }

    @Test func plainVersionsAreExactAndOldRecordsReadThemSo() throws {
        var descriptor = try TargetDescriptor.parse(
            text:
                "id: t\nkind: cpu\nbackend: {builtin: cpu}\nversions:\n  harness: \"0.1.0\"\n  numpy: {version: \"1.26\", match: prefix}\n",
            file: "t.yaml"
        )
        #expect(descriptor.versions == ["harness": "0.1.0", "numpy": "1.26"])
        #expect(descriptor.versionRules["harness"] == DeclaredVersion(rule: .exact("0.1.0")))
        #expect(descriptor.versionRules["numpy"] == DeclaredVersion(rule: .prefix("1.26")))
        descriptor.declaredVersions = nil  // a run.json from before version rules
        #expect(descriptor.versionRules["numpy"] == DeclaredVersion(rule: .exact("1.26")))
    }
}

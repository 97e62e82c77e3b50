import Foundation
import Testing

@testable import AssayCore

@Suite struct DescriptorLoadingTests {
    let valid = """
        id: lab-x
        title: Lab X
        kind: accelerator
        backend:
          command: [python3, plugin.py]
          timeouts: {request_s: 30}
        capabilities:
          peak_tflops: {bf16: 989, fp32: 67}
          memory_bandwidth_gbs: 3350
          source: "NVIDIA H100 datasheet (SXM, dense)"
        waivers:
          - pattern: "conformance/gelu/*"
            category: known-bug
            reference: BUG-1
            reason: erf slightly off
            expires: 2027-01-31
        """

    @Test func loadsAValidDescriptor() throws {
        let descriptor = try TargetDescriptor.parse(text: valid, file: "Targets/x.yaml")
        #expect(descriptor.backend.command == ["python3", "plugin.py"])
        #expect(descriptor.backend.requestTimeoutSeconds == 30)
        #expect(descriptor.capabilities.peakFLOPS(for: .f32) == 67e12)
        #expect(descriptor.waivers.first?.category == .knownBug)
        #expect(descriptor.capabilities.source == "NVIDIA H100 datasheet (SXM, dense)")
    }

    /// Declared peaks without their provenance are refused at the line that declares them.
    @Test func declaredPeaksNeedASource() throws {
        let unsourced = try #require(
            failure(valid.replacingOccurrences(of: "  source: \"NVIDIA H100 datasheet (SXM, dense)\"\n", with: ""))
        )
        #expect(
            unsourced.file == "Targets/bad.yaml" && unsourced.line == 8
                && unsourced.field == "capabilities.peak_tflops",
            "\(unsourced)"
        )
        #expect(unsourced.message.contains("need a 'source:'"))
        let bandwidthOnly = valid.replacingOccurrences(of: "  peak_tflops: {bf16: 989, fp32: 67}\n", with: "")
            .replacingOccurrences(of: "  source: \"NVIDIA H100 datasheet (SXM, dense)\"\n", with: "")
        let error = try #require(failure(bandwidthOnly))
        #expect(error.line == 8 && error.field == "capabilities.memory_bandwidth_gbs", "\(error)")
        let blank = try #require(
            failure(valid.replacingOccurrences(of: "\"NVIDIA H100 datasheet (SXM, dense)\"", with: "\"  \""))
        )
        #expect(blank.line == 10 && blank.message.contains("name the datasheet"), "\(blank)")
        let noPeaks = valid.replacingOccurrences(
            of: "  peak_tflops: {bf16: 989, fp32: 67}\n  memory_bandwidth_gbs: 3350\n",
            with: ""
        )
        .replacingOccurrences(of: "  source: \"NVIDIA H100 datasheet (SXM, dense)\"\n", with: "  devices: 1\n")
        #expect(try TargetDescriptor.parse(text: noPeaks, file: "Targets/x.yaml").capabilities.source == nil)
    }

    private func failure(_ text: String) -> InputError? {
        do {
            _ = try TargetDescriptor.parse(text: text, file: "Targets/bad.yaml")
            return nil
        } catch let error as InputError { return error } catch { return nil }
    }

    @Test func unknownKeyNamesFileLineAndKey() throws {
        let error = try #require(
            failure(valid.replacingOccurrences(of: "  memory_bandwidth_gbs", with: "  memory_bandwith_gbs"))
        )
        #expect(error.file == "Targets/bad.yaml")
        #expect(error.line == 9)
        #expect(error.description.contains("unknown key 'memory_bandwith_gbs'"))
    }

    @Test func wrongTypeNamesTheField() throws {
        let error = try #require(failure(valid.replacingOccurrences(of: "request_s: 30", with: "request_s: soon")))
        #expect(error.field == "backend.timeouts.request_s")
        #expect(error.line == 6)
        #expect(error.message.contains("expected a number"))
    }

    @Test func missingFieldIsNamed() throws {
        let error = try #require(failure(valid.replacingOccurrences(of: "kind: accelerator\n", with: "")))
        #expect(error.field == "kind")
        #expect(error.message.contains("missing required field 'kind'"))
    }

    @Test func unknownDtypeIsNamed() throws {
        let error = try #require(failure(valid.replacingOccurrences(of: "fp32: 67", with: "fp8: 67")))
        #expect(error.line == 8)
        #expect(error.message.contains("unknown dtype 'fp8'"))
    }

    @Test func readsTheDeviceExpectations() throws {
        let text = valid.replacingOccurrences(
            of: "waivers:",
            with: "expect:\n  min_host_device_gbs: 40\n  min_device_memory_gib: 79.5\nwaivers:"
        )
        let expect = try #require(try TargetDescriptor.parse(text: text, file: "Targets/x.yaml").expect)
        #expect(expect.minHostDeviceGBs == 40 && expect.minDeviceMemoryGiB == 79.5)
    }

    @Test(arguments: [
        ("min_host_device_gbs: 0", "must be greater than 0, found 0.0"),
        ("min_host_device_gbs: fast", "expected a number, found 'fast'"),
        ("min_device_memory_gib: -80", "must be greater than 0, found -80.0"),
        ("min_device_memory_gib: \"80\"", "expected a number, found '80'"),
    ])
    func badDeviceExpectationsNameFileLineAndField(entry: String, problem: String) throws {
        let error = try #require(
            failure(valid.replacingOccurrences(of: "waivers:", with: "expect:\n  \(entry)\nwaivers:"))
        )
        #expect(error.file == "Targets/bad.yaml")
        #expect(error.line == 12)
        #expect(error.field == "expect." + entry.prefix { $0 != ":" })
        #expect(error.message == problem)
    }

    @Test func syntaxErrorsCarryTheParserLine() throws {
        let error = try #require(failure("id: x\nkind: [cpu\nbackend: {builtin: cpu}\n"))
        #expect(error.line != nil)
        #expect(error.message.hasPrefix("YAML syntax"))
    }
}

import AssayCore

/// A first guess at a target descriptor's identity and capabilities from probed facts:
/// the accelerator when there is one (vendor tool devices first, PCI otherwise), else the CPU.
public struct TargetGuess: Sendable, Equatable {
    public var id: String
    public var title: String
    /// `accelerator` or `cpu`.
    public var kind: String
    public var vendor: String?
    public var model: String?
    /// Per device, where known.
    public var memoryGiB: Double?
    public var devices: Int
    /// The torch device of the accelerator (`cuda`, `npu`…) where the shipped torch backend can drive it.
    public var torchDevice: String?

    /// Accelerator PCI vendor → torch device. ROCm builds of torch (AMD, Hygon DCU) use `cuda`.
    static let torchDevices: [String: String] = [
        "10de": "cuda", "1002": "cuda", "1d94": "cuda", "19e5": "npu", "cabc": "mlu", "1ed5": "musa",
    ]

    public init(facts: SystemFacts) {
        let os = [facts.os?.id, facts.os?.versionID].compactMap { $0 }.joined(separator: " ")
        let toolDevices = (facts.acceleratorTools ?? []).flatMap { tool in tool.devices.map { (tool.name, $0) } }
        let pciAccelerators = (facts.pciDevices ?? []).filter {
            PCIIDs.isAccelerator(vendorID: $0.vendorID, classCode: $0.classCode)
        }
        if let (tool, first) = toolDevices.first {
            kind = "accelerator"
            vendor = tool == "nvidia-smi" ? "NVIDIA" : nil
            model = first.name
            memoryGiB = first.memoryMiB.map { Double($0) / 1024 }
            devices = toolDevices.filter { $0.1.name == first.name }.count
            torchDevice = tool == "nvidia-smi" ? "cuda" : nil
        } else if let first = pciAccelerators.first {
            kind = "accelerator"
            vendor = first.vendorName ?? first.vendorID
            model = first.deviceName ?? "\(first.vendorID ?? "?"):\(first.deviceID ?? "?")"
            memoryGiB = nil
            devices = pciAccelerators.filter { $0.vendorID == first.vendorID && $0.deviceID == first.deviceID }.count
            torchDevice = first.vendorID.flatMap { Self.torchDevices[$0] }
        } else {
            kind = "cpu"
            vendor = facts.cpu?.vendor
            model = facts.cpu?.modelName
            memoryGiB = facts.memory?.totalGiB
            devices = 1
            torchDevice = nil
        }
        let name = Self.displayName(vendor: vendor, model: model)
        id = Self.slug([name, os].filter { !$0.isEmpty }.joined(separator: " ")).nonEmpty ?? "unknown-target"
        let place = facts.os?.prettyName ?? os
        title = [name.nonEmpty ?? "Unknown machine", place.nonEmpty.map { "on \($0)" }]
            .compactMap { $0 }.joined(separator: " ")
    }

    /// Vendor and model, without saying the vendor twice ("NVIDIA" + "NVIDIA H100…").
    static func displayName(vendor: String?, model: String?) -> String {
        if let vendor, let model, model.lowercased().hasPrefix(vendor.lowercased()) { return model }
        return [vendor, model].compactMap { $0 }.joined(separator: " ")
    }

    /// Lower-case letters and digits, runs of anything else as one `-`.
    static func slug(_ text: String) -> String {
        var result = ""
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                result.append(character)
            } else if !result.isEmpty && !result.hasSuffix("-") {
                result.append("-")
            }
        }
        while result.hasSuffix("-") { result.removeLast() }
        return result
    }
}

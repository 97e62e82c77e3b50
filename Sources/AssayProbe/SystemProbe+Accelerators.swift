import AssayCore

extension SystemProbe {
    /// Every known vendor tool, present or not. A present tool that fails (driver not
    /// loaded, device lost) is still present: its error lines are kept as evidence.
    func probeAcceleratorTools() -> [SystemFacts.AcceleratorTool] {
        AcceleratorToolSpec.all.map { spec in
            guard let result = source.run(spec.argv) else {
                return SystemFacts.AcceleratorTool(name: spec.name, present: false)
            }
            let text = result.timedOut ? "timed out" : result.text
            let head = Array(
                text.lines.map { Self.rightTrimmed($0) }.filter { !$0.isEmpty }
                    .prefix(AcceleratorToolSpec.rawHeadLines)
            )
            guard result.succeeded else {
                return SystemFacts.AcceleratorTool(name: spec.name, present: true, rawHead: head)
            }
            if spec.parsesDevices {
                let devices = NvidiaSMI.parse(result.stdout)
                return SystemFacts.AcceleratorTool(
                    name: spec.name,
                    present: true,
                    version: devices.first?.driverVersion,
                    devices: devices,
                    rawHead: devices.isEmpty ? head : nil
                )
            }
            let version = VersionText.labelled("Driver Version", in: text) ?? VersionText.labelled("Version", in: text)
            return SystemFacts.AcceleratorTool(name: spec.name, present: true, version: version, rawHead: head)
        }
    }

    static func rightTrimmed(_ line: String) -> String {
        var text = Substring(line)
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}

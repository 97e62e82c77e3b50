import AssayCore

/// Parses `nvidia-smi --query-gpu=name,memory.total,driver_version,pci.bus_id
/// --format=csv,noheader,nounits`: one GPU per line, fields separated by ", ",
/// `[N/A]` or `[Not Supported]` where a value is unavailable, rows in index order.
enum NvidiaSMI {
    static func parse(_ text: String) -> [SystemFacts.AcceleratorDevice] {
        var devices: [SystemFacts.AcceleratorDevice] = []
        for line in text.lines where !line.trimmingWhitespace.isEmpty {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                .map { $0.trimmingWhitespace }
            guard fields.count >= 4, let name = value(fields[0]) else { continue }
            devices.append(
                SystemFacts.AcceleratorDevice(
                    index: devices.count,
                    name: name,
                    memoryMiB: value(fields[1]).flatMap { Int($0) },
                    driverVersion: value(fields[2]),
                    pciBusID: value(fields[3])
                )
            )
        }
        return devices
    }

    private static func value(_ field: String) -> String? {
        field.isEmpty || field.hasPrefix("[") ? nil : field
    }
}

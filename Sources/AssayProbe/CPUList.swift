/// The kernel's CPU list format (`0-3,8-11`), as in `cpulist` and `online` files.
enum CPUList {
    /// The CPU numbers listed, or nil when the text is not a CPU list.
    static func parse(_ text: String) -> [Int]? {
        let trimmed = text.trimmingWhitespace
        if trimmed.isEmpty { return [] }
        var cpus: [Int] = []
        for part in trimmed.split(separator: ",") {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            switch bounds.count {
            case 1:
                guard let single = Int(bounds[0]) else { return nil }
                cpus.append(single)
            case 2:
                guard let low = Int(bounds[0]), let high = Int(bounds[1]), low <= high,
                    high - low < 1 << 16
                else { return nil }
                cpus.append(contentsOf: low...high)
            default:
                return nil
            }
        }
        return cpus
    }
}

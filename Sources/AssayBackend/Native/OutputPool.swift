/// Output buffers kept between benchmark calls of one case, as a framework's caching allocator
/// keeps them: without it a bandwidth-bound op on a large tensor measures the kernel's page faults
/// (a fresh 64 MB array faults in 16k pages on every call) rather than memory bandwidth.
final class OutputPool<T: Numeric> {
    private var buffers: [Int: [T]] = [:]

    /// A buffer of `count` elements. Its contents are unspecified; every kernel overwrites all of it.
    /// If the caller still holds the previous result, writing copies it first (copy-on-write), so
    /// a kept result is never changed behind its holder's back.
    func take(_ count: Int) -> [T] {
        buffers.removeValue(forKey: count) ?? [T](repeating: 0, count: count)
    }

    /// Remembers a result for the next call.
    func keep(_ buffer: [T]) { buffers[buffer.count] = buffer }
}

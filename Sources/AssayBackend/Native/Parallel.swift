import Foundation

/// Splits work into contiguous chunks, one per thread, where the work is large enough to pay.
enum Parallel {
    static var processorCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    static func forEachChunk(count: Int, threads: Int, minimumPerThread: Int = 1, _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = Swift.max(1, Swift.min(threads, count / Swift.max(1, minimumPerThread)))
        if workers == 1 {
            body(0..<count)
            return
        }
        let chunk = (count + workers - 1) / workers
        // concurrentPerform returns only when every chunk is done, so the body never escapes.
        withoutActuallyEscaping(body) { body in
            let shared = UncheckedSendable(body)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let start = worker * chunk
                let end = Swift.min(count, start + chunk)
                if start < end { shared.value(start..<end) }
            }
        }
    }
}

/// Carries a value into concurrent chunks that write disjoint ranges of one buffer.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}

import AssayBench
import CAssaySpawn
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Why an exchange with the plugin process stopped.
enum PluginIOError: Error, Equatable {
    /// stdout closed (the plugin exited or closed it).
    case endOfStream
    /// The deadline passed with the plugin silent (or not reading).
    case timedOut
    /// The bytes broke the framing rules.
    case violation(String)
    /// A system call failed.
    case system(String)
    /// The user interrupted the run (SIGINT/SIGTERM, through `PluginInterrupt`).
    case cancelled
}

/// One running plugin, started by `assay_spawn` (C: fork, then in the child its own process
/// group, PR_SET_PDEATHSIG, default signal dispositions, every descriptor but 0, 1 and 2 closed,
/// exec), so the user's Ctrl-C at the terminal reaches the harness and not the plugin mid-case,
/// no harness descriptor (journal, run files, other plugins' pipes) reaches a plugin, and a
/// plugin dies with the harness. The pipes are non-blocking and only ever waited on with
/// poll(2), a deadline, the plugin's pidfd (its death is seen at once, even while a helper it
/// forked holds stdout open) and the interrupt self-pipe.
final class PluginProcess {
    let pid: pid_t
    private let input: Int32
    private let output: Int32
    /// pidfd_open(2) of the plugin, or -1 where the kernel lacks it (then waits poll in slices).
    private let pidfd: Int32
    private let tree: ProcessTree
    let stderr: StderrRing
    /// Bytes read from stdout and not yet consumed.
    private var buffer: [UInt8] = []
    private var head = 0
    /// Where `fill` reads to: allocated once, as zeroing 256 KiB per reply would cost more than a small round trip.
    private var readChunk = [UInt8](repeating: 0, count: 256 << 10)
    private var exitStatus: Int32?
    /// Feature shm: the plugin's region, mapped while this process lives.
    var sharedMemory: SharedMemoryRegion?
    /// How long a read polls stdout without sleeping before it blocks (`PluginConfiguration.replySpinMicroseconds`).
    private let replySpinNanoseconds: UInt64

    /// Starts `argv` with `environment` (the complete child environment) in `directory`.
    init(
        argv: [String],
        environment: [String: String],
        directory: String?,
        stderrCapacity: Int = 64 << 10,
        replySpinMicroseconds: Int = 0
    ) throws {
        guard let program = argv.first, !program.isEmpty else { throw PluginIOError.system("empty plugin command") }
        var ends: [[Int32]] = []
        for _ in 0..<3 {
            var pair: [Int32] = [-1, -1]
            // Close-on-exec from birth: the child keeps only the dup2'ed copies.
            guard assay_pipe(&pair, 0) == 0 else {
                let reason = String(cString: strerror(errno))
                for fd in ends.joined() { close(fd) }
                throw PluginIOError.system("pipe: \(reason)")
            }
            ends.append(pair)
        }
        let (toChild, fromChild, errChild) = (ends[0], ends[1], ends[2])
        ProcessTree.becomeSubreaper
        let marker = "\(getpid())-\(PluginProcess.serial.add(1, ordering: .relaxed).newValue)"
        var environment = environment
        environment[ProcessTree.markerName] = marker
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in cArgs + cEnv { free(pointer) } }
        let child =
            directory.map { assay_spawn(program, cArgs, cEnv, $0, toChild[0], fromChild[1], errChild[1]) }
            ?? assay_spawn(program, cArgs, cEnv, nil, toChild[0], fromChild[1], errChild[1])
        close(toChild[0])
        close(fromChild[1])
        close(errChild[1])
        guard child > 0 else {
            close(toChild[1])
            close(fromChild[0])
            close(errChild[0])
            let place = directory.map { " in \($0)" } ?? ""
            throw PluginIOError.system("cannot start '\(program)'\(place): \(String(cString: strerror(-child)))")
        }
        pid = child
        // at most 10 ms: a spin is for replies that come within µs, never a way to wait
        replySpinNanoseconds = UInt64(min(max(0, replySpinMicroseconds), 10_000)) * 1000
        PluginInterrupt.register(child)
        tree = ProcessTree(root: child, marker: marker)
        let opened = assay_pidfd_open(child)
        pidfd = opened >= 0 ? opened : -1
        input = toChild[1]
        output = fromChild[0]
        for fd in [input, output] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            // F_SETPIPE_SZ (1031), best effort: fewer wake-ups per MiB
            _ = fcntl(fd, 1031, Int32(1 << 20))
        }
        stderr = StderrRing(capacity: stderrCapacity)
        stderr.drain(fd: errChild[0])
        // A write to a plugin that died must fail with EPIPE, not kill the harness.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { kill() }

    /// Numbers the plugins this harness starts, for their process-tree markers.
    private static let serial = Atomic<Int>(0)

    // MARK: writing

    /// Writes every byte of the buffers, in order, waiting for the pipe with poll(2) until the
    /// deadline. One writev(2) carries as much as the pipe takes, so a small request (header and
    /// payload) reaches the plugin in one piece and wakes it once, not once per buffer.
    func write(_ chunks: [UnsafeRawBufferPointer], deadline: Deadline) throws {
        // One iovec array, advanced in place as the pipe takes bytes (no allocation per writev).
        var vectors = chunks.compactMap { chunk in
            chunk.count > 0
                ? iovec(iov_base: UnsafeMutableRawPointer(mutating: chunk.baseAddress!), iov_len: chunk.count) : nil
        }
        var first = 0
        while first < vectors.count {
            // At most IOV_MAX (1024 on Linux) buffers per call.
            let count = Int32(min(vectors.count - first, 1024))
            let written = vectors.withUnsafeMutableBufferPointer { writev(input, $0.baseAddress! + first, count) }
            if written < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    try wait(fd: input, events: Int16(POLLOUT), deadline: deadline)
                    continue
                }
                if errno == EPIPE { throw PluginIOError.endOfStream }
                throw PluginIOError.system("write to plugin: \(String(cString: strerror(errno)))")
            }
            var left = written
            while left > 0 {
                if left >= vectors[first].iov_len {
                    left -= vectors[first].iov_len
                    first += 1
                } else {
                    vectors[first].iov_base += left
                    vectors[first].iov_len -= left
                    left = 0
                }
            }
        }
    }

    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        try bytes.withUnsafeBytes { try write([$0], deadline: deadline) }
    }

    // MARK: reading

    /// One header line without its `\n`; a line longer than `limit` is a violation.
    func readLine(limit: Int, deadline: Deadline) throws -> ArraySlice<UInt8> {
        var scanned = 0  // bytes after `head` known to hold no newline (fill may move `head`)
        while true {
            if let newline = buffer[(head + scanned)...].firstIndex(of: UInt8(ascii: "\n")) {
                guard newline - head <= limit else {
                    throw PluginIOError.violation("header line longer than \(limit) bytes")
                }
                let line = buffer[head..<newline]
                head = newline + 1
                return line
            }
            scanned = buffer.count - head
            guard buffer.count - head <= limit else {
                throw PluginIOError.violation("header line longer than \(limit) bytes without a newline")
            }
            // Nothing buffered: the reply is still being made, so wait before the first read
            // rather than after a read(2) that would only say EAGAIN.
            try fill(deadline: deadline, waitFirst: scanned == 0)
        }
    }

    /// Reads exactly `destination.count` bytes: the buffered ones first, the rest straight from the pipe.
    func readExact(into destination: UnsafeMutableRawBufferPointer, deadline: Deadline) throws {
        let buffered = min(destination.count, buffer.count - head)
        if buffered > 0 {
            buffer.withUnsafeBytes { source in
                destination.baseAddress!.copyMemory(from: source.baseAddress! + head, byteCount: buffered)
            }
            head += buffered
        }
        var offset = buffered
        while offset < destination.count {
            let count = read(output, destination.baseAddress! + offset, destination.count - offset)
            if count > 0 {
                offset += count
                continue
            }
            if count == 0 { throw PluginIOError.endOfStream }
            if errno == EINTR { continue }
            guard errno == EAGAIN || errno == EWOULDBLOCK else {
                throw PluginIOError.system("read from plugin: \(String(cString: strerror(errno)))")
            }
            if !spinUntilReadable(deadline) { try wait(fd: output, events: Int16(POLLIN), deadline: deadline) }
        }
    }

    /// Polls stdout without sleeping (yielding the CPU between tries, so a plugin that shares
    /// it still runs) for up to `replySpinNanoseconds`, never past `deadline`; whether it became
    /// readable or hung up. A reply that takes longer is then waited for with `wait`, deadline,
    /// pidfd and interrupt included.
    private func spinUntilReadable(_ deadline: Deadline) -> Bool {
        guard replySpinNanoseconds > 0 else { return false }
        let clock = MonotonicClock()
        let end = min(clock.nanoseconds() &+ replySpinNanoseconds, deadline.endNanoseconds)
        repeat {
            var entry = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
            if poll(&entry, 1, 0) > 0, entry.revents != 0 { return true }
            sched_yield()
        } while clock.nanoseconds() < end
        return false
    }

    /// Reads a `count`-byte payload into an array whose storage is allocated untouched and filled
    /// 1 MiB at a time as the bytes arrive, so a size announced and never sent costs no memory.
    func readPayload(count: Int, deadline: Deadline) throws -> [UInt8] {
        // Read straight into the array's storage, 1 MiB at a time: no zero fill first (a
        // generic element-by-element fill cost ~10 s per 16 MiB in a debug build). The storage is
        // reserved, not yet touched: huge pages make its first writes cheap.
        try [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
            let raw = UnsafeMutableRawBufferPointer(storage)
            SharedMemoryRegion.adviseHugePages(raw)
            while initialized < count {
                let end = min(count, initialized + (1 << 20))
                try readExact(into: UnsafeMutableRawBufferPointer(rebasing: raw[initialized..<end]), deadline: deadline)
                initialized = end
            }
        }
    }

    /// Reads and drops `count` bytes (a payload the harness has no use for), in bounded chunks.
    func skip(_ count: Int, deadline: Deadline) throws {
        var left = count
        var scratch = [UInt8](repeating: 0, count: min(count, 1 << 20))
        while left > 0 {
            let step = min(left, scratch.count)
            try scratch.withUnsafeMutableBytes {
                try readExact(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<step]), deadline: deadline)
            }
            left -= step
        }
    }

    /// Appends whatever the pipe has to the buffer, waiting until the deadline for at least one byte.
    private func fill(deadline: Deadline, waitFirst: Bool) throws {
        if head > 0, head == buffer.count || head > (1 << 20) {
            buffer.removeSubrange(0..<head)
            head = 0
        }
        if waitFirst, !spinUntilReadable(deadline) { try wait(fd: output, events: Int16(POLLIN), deadline: deadline) }
        while true {
            let count = readChunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if count > 0 {
                buffer.append(contentsOf: readChunk[0..<count])
                return
            }
            if count == 0 { throw PluginIOError.endOfStream }
            if errno == EINTR { continue }
            guard errno == EAGAIN || errno == EWOULDBLOCK else {
                throw PluginIOError.system("read from plugin: \(String(cString: strerror(errno)))")
            }
            try wait(fd: output, events: Int16(POLLIN), deadline: deadline)
        }
    }

    /// Waits until `fd` is ready for `events` (or hung up). Throws `.endOfStream` as soon as the
    /// plugin process itself has exited with nothing left to read, `.cancelled` on an interrupt,
    /// `.timedOut` at the deadline.
    private func wait(fd: Int32, events: Int16, deadline: Deadline) throws {
        while true {
            let left = deadline.remainingMilliseconds
            guard left > 0 else { throw PluginIOError.timedOut }
            // A tuple on the stack: no allocation per wait.
            var entries = (
                pollfd(fd: fd, events: events, revents: 0),
                pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0),
                pollfd(fd: PluginInterrupt.descriptor, events: Int16(POLLIN), revents: 0)
            )
            // Without a pidfd, look at the process between slices of at most 100 ms.
            let timeout = pidfd >= 0 ? left : min(left, 100)
            let ready = withUnsafeMutableBytes(of: &entries) {
                poll($0.baseAddress!.assumingMemoryBound(to: pollfd.self), 3, timeout)
            }
            if ready < 0, errno != EINTR { throw PluginIOError.system("poll: \(String(cString: strerror(errno)))") }
            if entries.2.revents != 0 { throw PluginIOError.cancelled }
            if entries.0.revents != 0 { return }  // readable, writable, or hung up: the next read/write tells which
            if entries.1.revents != 0 || (pidfd < 0 && hasExited) { throw PluginIOError.endOfStream }
        }
    }

    /// Whether bytes nobody asked for are waiting on stdout, or stdout was closed: checked without
    /// blocking after each reply, so they are charged to the request that just finished.
    var hasUnrequestedOutput: Bool {
        if head < buffer.count { return true }
        var entry = pollfd(fd: output, events: Int16(POLLIN), revents: 0)
        return poll(&entry, 1, 0) > 0 && entry.revents != 0
    }

    // MARK: lifetime

    /// Whether the process has exited, reaping it if so.
    var hasExited: Bool { reap(blocking: false) != nil }

    /// Waits up to `seconds` for the process to exit on its own; its wait status, or nil.
    func waitForExit(seconds: Double) -> Int32? {
        let deadline = Deadline(seconds: seconds)
        while true {
            if let status = reap(blocking: false) { return status }
            if deadline.remainingMilliseconds == 0 { return nil }
            usleep(5_000)
        }
    }

    /// SIGKILLs the plugin and its whole tree (process group, setsid'd descendants, adopted
    /// orphans) and reaps it.
    func kill() {
        guard !killed else { return }  // once reaped, the pid may belong to another process
        killed = true
        tree.killAll(rootReaped: exitStatus != nil)
        if exitStatus == nil { _ = reap(blocking: true) }
        PluginInterrupt.unregister(pid)
        closePipes()
    }

    private var killed = false

    /// Closes stdin (the SDK exits on EOF) and gives the plugin `grace` seconds before `kill()`.
    func stop(grace: Double) {
        if pipesOpen {
            close(input)
            inputOpen = false
        }
        _ = waitForExit(seconds: grace)
        kill()
    }

    private var pipesOpen = true
    private var inputOpen = true
    private func closePipes() {
        guard pipesOpen else { return }
        pipesOpen = false
        if inputOpen { close(input) }
        close(output)
        if pidfd >= 0 { close(pidfd) }
    }

    /// `exited with status N` or `killed by signal S`, once reaped.
    var exitDescription: String? {
        guard let status = exitStatus else { return nil }
        guard status >= 0 else { return "exited (status unknown)" }
        let signal = status & 0x7f
        return signal == 0 ? "exited with status \((status >> 8) & 0xff)" : "killed by signal \(signal)"
    }

    /// The exit code when the process exited normally.
    var exitCode: Int32? {
        guard let status = exitStatus, status & 0x7f == 0 else { return nil }
        return (status >> 8) & 0xff
    }

    private func reap(blocking: Bool) -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        while true {
            let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
            if result == pid {
                exitStatus = status
                return status
            }
            if result < 0, errno == EINTR { continue }
            if result < 0 {
                exitStatus = -1
                return -1
            }  // not our child any more: nothing to reap
            return nil
        }
    }
}

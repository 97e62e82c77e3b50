import Foundation
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
}

/// One running plugin: spawned with posix_spawn in its own process group (so the user's Ctrl-C
/// at the terminal reaches the harness, which shuts the plugin down, and not the plugin
/// mid-case), with non-blocking pipes that are only ever waited on with poll(2) and a deadline.
final class PluginProcess {
    let pid: pid_t
    private let input: Int32
    private let output: Int32
    let stderr: StderrRing
    /// Bytes read from stdout and not yet consumed.
    private var buffer: [UInt8] = []
    private var head = 0
    /// Where `fill` reads to: allocated once, as zeroing 256 KiB per reply would cost more than a small round trip.
    private var readChunk = [UInt8](repeating: 0, count: 256 << 10)
    private var exitStatus: Int32?

    /// Starts `argv` with `environment` (the complete child environment) in `directory`.
    init(argv: [String], environment: [String: String], directory: String?, stderrCapacity: Int = 64 << 10) throws {
        guard let program = argv.first, !program.isEmpty else { throw PluginIOError.system("empty plugin command") }
        var toChild: [Int32] = [-1, -1], fromChild: [Int32] = [-1, -1], errChild: [Int32] = [-1, -1]
        for index in 0..<3 {
            let made = index == 0 ? pipe(&toChild) : index == 1 ? pipe(&fromChild) : pipe(&errChild)
            // Close-on-exec: the dup2'ed copies in the child stay open, other plugins never inherit ours.
            for fd in toChild + fromChild + errChild where fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            guard made == 0 else {
                let reason = String(cString: strerror(errno))
                for fd in toChild + fromChild + errChild where fd >= 0 { close(fd) }
                throw PluginIOError.system("pipe: \(reason)")
            }
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, toChild[0], 0)
        posix_spawn_file_actions_adddup2(&actions, fromChild[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errChild[1], 2)
        var argv = argv
        if let directory {
            if let addchdir = PluginProcess.addchdir {
                _ = addchdir(&actions, directory)
            } else {  // glibc < 2.29: let a shell change directory, then exec the plugin itself
                argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", directory] + argv
            }
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group; default dispositions for the signals the harness handles or ignores.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for sig in [SIGINT, SIGTERM, SIGPIPE, SIGCHLD] { sigaddset(&defaults, sig) }
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        let cArgs = argv.map { strdup($0) } + [nil]
        let cEnv = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in cArgs + cEnv { free(pointer) } }
        var child: pid_t = 0
        let status = posix_spawnp(&child, argv[0], &actions, &attributes, cArgs, cEnv)
        close(toChild[0]); close(fromChild[1]); close(errChild[1])
        guard status == 0 else {
            close(toChild[1]); close(fromChild[0]); close(errChild[0])
            throw PluginIOError.system("cannot start '\(program)': \(String(cString: strerror(status)))")
        }
        pid = child
        input = toChild[1]
        output = fromChild[0]
        for fd in [input, output] {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, 1031 /* F_SETPIPE_SZ */, Int32(1 << 20))  // best effort: fewer wake-ups per MiB
        }
        stderr = StderrRing(capacity: stderrCapacity)
        stderr.drain(fd: errChild[0])
        // A write to a plugin that died must fail with EPIPE, not kill the harness.
        signal(SIGPIPE, SIG_IGN)
    }

    deinit { kill() }

    /// `posix_spawn_file_actions_addchdir_np` (glibc ≥ 2.29), looked up at run time because
    /// the Glibc module does not export it.
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32
    private static let addchdir: AddChdir? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return nil }
        return unsafeBitCast(symbol, to: AddChdir.self)
    }()

    // MARK: writing

    /// Writes every byte of the buffers, in order, waiting for the pipe with poll(2) until the
    /// deadline. One writev(2) carries as much as the pipe takes, so a small request (header and
    /// payload) reaches the plugin in one piece and wakes it once, not once per buffer.
    func write(_ chunks: [UnsafeRawBufferPointer], deadline: Deadline) throws {
        var pending = chunks.filter { $0.count > 0 }
        var offset = 0  // bytes of pending[0] already written
        while !pending.isEmpty {
            // At most IOV_MAX (1024 on Linux) buffers per call.
            var vectors = pending.prefix(1024).enumerated().map { index, chunk in
                iovec(iov_base: UnsafeMutableRawPointer(mutating: chunk.baseAddress! + (index == 0 ? offset : 0)),
                      iov_len: chunk.count - (index == 0 ? offset : 0))
            }
            let written = writev(input, &vectors, Int32(vectors.count))
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
            while left > 0, let first = pending.first {
                let rest = first.count - offset
                if left >= rest { left -= rest; offset = 0; pending.removeFirst() } else { offset += left; left = 0 }
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
                guard newline - head <= limit else { throw PluginIOError.violation("header line longer than \(limit) bytes") }
                let line = buffer[head..<newline]
                head = newline + 1
                return line
            }
            scanned = buffer.count - head
            guard buffer.count - head <= limit else {
                throw PluginIOError.violation("header line longer than \(limit) bytes without a newline")
            }
            try fill(deadline: deadline)
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
            if count > 0 { offset += count; continue }
            if count == 0 { throw PluginIOError.endOfStream }
            if errno == EINTR { continue }
            guard errno == EAGAIN || errno == EWOULDBLOCK else { throw PluginIOError.system("read from plugin: \(String(cString: strerror(errno)))") }
            try wait(fd: output, events: Int16(POLLIN), deadline: deadline)
        }
    }

    /// Reads and drops `count` bytes (a payload the harness has no use for), in bounded chunks.
    func skip(_ count: Int, deadline: Deadline) throws {
        var left = count
        var scratch = [UInt8](repeating: 0, count: min(count, 1 << 20))
        while left > 0 {
            let step = min(left, scratch.count)
            try scratch.withUnsafeMutableBytes { try readExact(into: UnsafeMutableRawBufferPointer(rebasing: $0[0..<step]), deadline: deadline) }
            left -= step
        }
    }

    /// Appends whatever the pipe has to the buffer, waiting until the deadline for at least one byte.
    private func fill(deadline: Deadline) throws {
        if head > 0, head == buffer.count || head > (1 << 20) {
            buffer.removeSubrange(0..<head)
            head = 0
        }
        while true {
            let count = readChunk.withUnsafeMutableBytes { read(output, $0.baseAddress, $0.count) }
            if count > 0 { buffer.append(contentsOf: readChunk[0..<count]); return }
            if count == 0 { throw PluginIOError.endOfStream }
            if errno == EINTR { continue }
            guard errno == EAGAIN || errno == EWOULDBLOCK else { throw PluginIOError.system("read from plugin: \(String(cString: strerror(errno)))") }
            try wait(fd: output, events: Int16(POLLIN), deadline: deadline)
        }
    }

    private func wait(fd: Int32, events: Int16, deadline: Deadline) throws {
        while true {
            let left = deadline.remainingMilliseconds
            guard left > 0 else { throw PluginIOError.timedOut }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, left)
            if ready > 0 { return }  // readable, writable, or hung up: the next read/write tells which
            if ready < 0, errno != EINTR { throw PluginIOError.system("poll: \(String(cString: strerror(errno)))") }
        }
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

    /// SIGKILLs the whole process group (the plugin and anything it started) and reaps it.
    func kill() {
        if exitStatus == nil {
            _ = Glibc.kill(-pid, SIGKILL)
            _ = Glibc.kill(pid, SIGKILL)
            _ = reap(blocking: true)
        } else {
            _ = Glibc.kill(-pid, SIGKILL)  // stragglers left in the group
        }
        closePipes()
    }

    private var pipesOpen = true
    private func closePipes() {
        guard pipesOpen else { return }
        pipesOpen = false
        close(input)
        close(output)
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
            if result == pid { exitStatus = status; return status }
            if result < 0, errno == EINTR { continue }
            if result < 0 { exitStatus = -1; return -1 }  // not our child any more: nothing to reap
            return nil
        }
    }
}

import CAssaySpawn
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A plugin's shared-memory region (ABP 1.1 feature `shm`), mapped into the harness.
///
/// The plugin creates it (a memfd) and names its descriptor number in the hello reply; the
/// harness opens `/proc/<plugin pid>/fd/<n>`, so no harness descriptor ever reaches a plugin
/// (docs/DECISIONS.md). Before mapping, the harness checks what a hostile plugin could abuse:
/// a regular file on tmpfs/shmem (not hugetlbfs, whose pages may be missing and fault with
/// SIGBUS), sealed against shrinking (a truncated mapping would also SIGBUS the harness), not
/// sealed against writing, exactly the announced size, at most the size offered; after mapping,
/// that the nonce from the hello sits at offset 0 (the descriptor is the plugin's region, not a
/// wrapper's unrelated file). The descriptor is closed once mapped.
///
/// The region is a plain byte area: offsets and lengths travel in pipe headers and are checked
/// against the region before use, and bytes are copied out at once when a reply arrives, so a
/// plugin that writes late or scribbles anywhere only spoils its own results.
final class SharedMemoryRegion {
    let base: UnsafeMutableRawPointer
    let count: Int

    /// Why a region was refused (the plugin then keeps the pipe).
    struct Refusal: Error, CustomStringConvertible {
        var description: String
    }

    private static let sealShrink: Int32 = 0x0002, sealWrite: Int32 = 0x0008, sealFutureWrite: Int32 = 0x0010
    private static let getSeals: Int32 = 1034  // F_GET_SEALS
    private static let tmpfsMagic = 0x0102_1994

    init(pid: pid_t, fd: Int, bytes: Int, offered: Int, nonce: [UInt8]) throws {
        func refuse(_ reason: String) -> Refusal { Refusal(description: reason) }
        guard fd >= 0, fd <= Int(Int32.max) else { throw refuse("fd \(fd) is not a descriptor number") }
        guard bytes >= nonce.count, bytes <= offered else {
            throw refuse("size \(bytes) is not between \(nonce.count) and the \(offered) bytes offered")
        }
        let path = "/proc/\(pid)/fd/\(fd)"
        var before = stat()
        // stat first: opening a device or FIFO the plugin names could block or act on it.
        guard stat(path, &before) == 0 else { throw refuse("cannot stat \(path): \(String(cString: strerror(errno)))") }
        guard before.st_mode & S_IFMT == S_IFREG else { throw refuse("\(path) is not a regular file") }
        let descriptor = open(path, O_RDWR | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw refuse("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_dev == before.st_dev, info.st_ino == before.st_ino else {
            throw refuse("\(path) changed while it was opened")
        }
        guard assay_fstatfs_type(descriptor) == SharedMemoryRegion.tmpfsMagic else {
            throw refuse("\(path) is not a memfd on shmem (hugetlbfs and files are refused)")
        }
        let seals = fcntl(descriptor, SharedMemoryRegion.getSeals)
        guard seals >= 0, seals & SharedMemoryRegion.sealShrink != 0 else {
            throw refuse("the memfd is not sealed against shrinking (F_SEAL_SHRINK)")
        }
        guard seals & (SharedMemoryRegion.sealWrite | SharedMemoryRegion.sealFutureWrite) == 0 else {
            throw refuse("the memfd is sealed against writing")
        }
        guard Int(info.st_size) == bytes else {
            throw refuse("the memfd holds \(info.st_size) bytes, the hello announced \(bytes)")
        }
        guard let mapped = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, descriptor, 0), mapped != MAP_FAILED
        else {
            throw refuse("mmap: \(String(cString: strerror(errno)))")
        }
        guard memcmp(mapped, nonce, nonce.count) == 0 else {
            munmap(mapped, bytes)
            throw refuse("the nonce is not at offset 0 (not the plugin's region)")
        }
        base = mapped
        count = bytes
    }

    deinit { munmap(base, count) }

    /// Copies `bytes` to `offset` (the caller placed it inside the region).
    func write(_ bytes: UnsafeRawBufferPointer, at offset: Int) {
        precondition(offset >= 0 && offset <= count - bytes.count)
        guard let source = bytes.baseAddress else { return }
        (base + offset).copyMemory(from: source, byteCount: bytes.count)
    }

    /// A copy of [offset, offset + length), taken now: later writes by the plugin do not reach it.
    func copy(offset: Int, length: Int) -> [UInt8] {
        precondition(offset >= 0 && length >= 0 && offset <= count - length)
        return [UInt8](unsafeUninitializedCapacity: length) { buffer, initialized in
            if length > 0 {
                SharedMemoryRegion.adviseHugePages(UnsafeMutableRawBufferPointer(buffer))
                UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: base + offset, byteCount: length)
            }
            initialized = length
        }
    }

    /// Asks for transparent huge pages over the 2 MiB-aligned interior of a fresh buffer before
    /// it is first written: a 64 MiB tensor then faults in 32 pages, not 16 384 (here a 4 KiB
    /// fault costs more than copying the page). Best effort; nothing changes where THP is off.
    static func adviseHugePages(_ buffer: UnsafeMutableRawBufferPointer) {
        let huge = 2 << 20
        guard let start = buffer.baseAddress, buffer.count >= 2 * huge else { return }
        let first = (Int(bitPattern: start) + huge - 1) / huge * huge
        let end = (Int(bitPattern: start) + buffer.count) / huge * huge
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        // 14: MADV_HUGEPAGE
        _ = madvise(aligned, end - first, 14)
    }
}

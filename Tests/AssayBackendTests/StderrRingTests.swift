import Foundation
import Testing

@testable import AssayBackend

#if canImport(Glibc)
import Glibc
#endif

/// The ring's tail must hold every byte written to the pipe before it was asked, even when the
/// drain thread has not run yet (a plugin writes its traceback, then its error reply).
struct StderrRingTests {
    @Test func aTailTakenAtOnceHoldsWhatWasWrittenBefore() throws {
        for attempt in 0..<200 {
            var ends: [Int32] = [0, 0]
            #expect(pipe(&ends) == 0)
            let text = "Traceback \(attempt)\nRuntimeError: boom\n"
            _ = text.withCString { write(ends[1], $0, strlen($0)) }
            let ring = StderrRing(capacity: 1024)
            ring.drain(fd: ends[0])
            let tail = ring.tail()  // the drain thread has usually not started yet
            close(ends[1])
            ring.waitUntilDrained(seconds: 5)
            try #require(tail == text, "attempt \(attempt): \(tail.debugDescription)")
            #expect(ring.tail() == text)  // read once, never twice
        }
    }

    @Test func theRingKeepsTheLastBytesAndSeesEOF() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let ring = StderrRing(capacity: 8)
        ring.drain(fd: ends[0])
        _ = "0123456789abcdef".withCString { write(ends[1], $0, strlen($0)) }
        close(ends[1])
        ring.waitUntilDrained(seconds: 5)
        #expect(ring.tail() == "89abcdef")
        #expect(ring.tail(limit: 3) == "def")
    }
}

import AssayCore
import Foundation

/// Reports progress on stderr: a live line with case i/N, the current case and an ETA on a
/// terminal; plain lines otherwise (CI logs).
public final class ProgressReporter {
    private let live: Bool
    private let quiet: Bool
    private var total = 0
    private var started = Date()
    private var finished = 0
    private var finishedHere = 0

    public init(live: Bool = isatty(STDERR_FILENO) != 0, quiet: Bool = false) {
        self.live = live
        self.quiet = quiet
    }

    func begin(total: Int, alreadyDone: Int) {
        self.total = total
        self.finished = alreadyDone
        finishedHere = 0
        started = Date()
        if alreadyDone > 0 { emit("resuming: \(alreadyDone)/\(total) cases already recorded\n") }
    }

    func caseStarted(_ id: CaseID) {
        guard live else { return }
        let eta = etaText()
        let line = "[\(finished + 1)/\(total)] \(id)\(eta)"
        emit("\r\u{1B}[2K" + String(line.prefix(160)))
    }

    func caseFinished(_ result: CaseResult) {
        finished += 1
        finishedHere += 1
        let mark = result.outcome == .pass ? "ok" : result.outcome.rawValue.uppercased()
        var line = "[\(finished)/\(total)] \(mark) \(result.id) (\(String(format: "%.2f", result.seconds))s)"
        if let stats = result.performance?.summary {
            line += String(format: " median %.4g ns ±%.2f%%", stats.median, stats.medianCIRelativeHalfWidth * 100)
        }
        if result.outcome != .pass, let message = result.message { line += " — \(message.prefix(200))" }
        if live {
            if result.outcome != .pass { emit("\r\u{1B}[2K" + line + "\n") }
        } else {
            emit(line + "\n")
        }
    }

    func end() { if live { emit("\r\u{1B}[2K") } }

    func note(_ text: String) { emit(text + "\n") }

    private func etaText() -> String {
        let doneHere = Double(finishedHere)
        guard doneHere > 0 else { return "" }
        let elapsed = Date().timeIntervalSince(started)
        let remaining = elapsed / doneHere * Double(total - finished)
        return remaining.isFinite ? String(format: " — ETA %.0fs", remaining) : ""
    }

    private func emit(_ text: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data(text.utf8))
    }
}

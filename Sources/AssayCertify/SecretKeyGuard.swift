import Foundation

/// Keeps a secret key out of version control: refuses a path inside a git work tree that git
/// does not ignore, where one `git add .` would commit the key. Outside a work tree, or where
/// git is not installed, there is nothing to protect against and the path is allowed.
public enum SecretKeyGuard {
    /// Why a path was refused.
    public struct Refusal: Error, CustomStringConvertible, Sendable, Equatable {
        public var path: String
        public var workTree: String
        public var description: String {
            "refusing to write the secret key \(path): it lies in the git work tree \(workTree) and git does not ignore it "
                + "(git check-ignore), so it could be committed; add its folder to .gitignore (e.g. `keys/`), "
                + "write it outside the work tree, or pass --force"
        }
    }

    /// Throws `Refusal` when `path` (which need not exist yet) is inside a git work tree and not ignored.
    /// `git` is the program to ask, looked up on PATH (tests point it elsewhere).
    public static func check(secretKeyPath path: String, git: String = "git") throws(Refusal) {
        let target = URL(fileURLWithPath: path).standardizedFileURL
        // git needs an existing directory to start from; the key's folder may not exist yet.
        var directory = target.deletingLastPathComponent()
        while !isDirectory(directory), directory.path != "/" { directory.deleteLastPathComponent() }
        guard let top = run(git, ["-C", directory.path, "rev-parse", "--show-toplevel"]), top.status == 0 else {
            return
        }
        let workTree = top.output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let ignored = run(git, ["-C", directory.path, "check-ignore", "-q", "--", target.path]) else { return }
        // check-ignore: 0 ignored, 1 not ignored, 128 an error (say, the path lies outside the work tree).
        if ignored.status == 1 { throw Refusal(path: path, workTree: workTree) }
    }

    private static func isDirectory(_ url: URL) -> Bool {
        var flag: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &flag) && flag.boolValue
    }

    /// Runs git; nil when it cannot be started or is not installed (`env` exits 127).
    private static func run(_ git: String, _ arguments: [String]) -> (status: Int32, output: String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [git] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return nil }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus != 127 else { return nil }
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

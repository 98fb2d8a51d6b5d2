public import Foundation
import Synchronization

/// The package's built executables, found next to the running test bundle.
public enum BuiltProducts {
    public static let directory: URL = {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            if FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("tokenbroker").path) { return directory }
            directory.deleteLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent()
    }()

    public static func executable(_ name: String) -> URL { directory.appendingPathComponent(name) }
}

/// A real child process that prints one "ready" line on stdout before it serves — the mock
/// provider and the daemon — stopped when this object goes away.
public final class ChildProcess: Sendable {
    let process: Process
    /// The ready line, e.g. `tokenbroker-mock listening on 127.0.0.1:40123`.
    public let readyLine: String

    /// Starts `executable` and waits (up to `timeout`) for a stdout line containing `readyMarker`.
    public init(executable: URL, arguments: [String], readyMarker: String, timeout: Duration = .seconds(30)) throws {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        // Not our own stderr: a child holding it open would keep `swift test` waiting after we exit.
        process.standardError = errors
        try process.run()
        Self.forward(errors.fileHandleForReading, to: FileHandle.standardError)
        self.process = process
        let found = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        let handle = output.fileHandleForReading
        Thread.detachNewThread {
            var buffer = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }  // EOF: the process exited
                buffer.append(chunk)
                let text = String(decoding: buffer, as: UTF8.self)
                if let line = text.split(separator: "\n").first(where: { $0.contains(readyMarker) }) {
                    found.withLock { $0 = String(line) }
                    break
                }
            }
            done.signal()
            // Keep draining so the child never blocks on a full pipe.
            while !handle.availableData.isEmpty {}
        }
        let seconds = Double(timeout.components.seconds)
        _ = done.wait(timeout: .now() + seconds)
        guard let line = found.withLock({ $0 }) else {
            process.terminate()
            throw ChildProcessError(message: "\(executable.lastPathComponent) did not print \"\(readyMarker)\" within \(timeout)")
        }
        readyLine = line
    }

    private static func forward(_ source: FileHandle, to target: FileHandle) {
        Thread.detachNewThread {
            while true {
                let chunk = source.availableData
                if chunk.isEmpty { return }
                target.write(chunk)
            }
        }
    }

    /// The last whitespace-separated word of the ready line (an address).
    public var announcedAddress: String { String(readyLine.split(separator: " ").last ?? "") }

    public var isRunning: Bool { process.isRunning }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Sends a signal (SIGTERM by default) and waits for the process to exit; returns its status.
    @discardableResult
    public func stop(signal: Int32 = SIGTERM) -> Int32 {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }
}

public struct ChildProcessError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// `tokenbroker-mock` on a free loopback port.
public final class MockProviderProcess: Sendable {
    public let child: ChildProcess
    /// `http://127.0.0.1:PORT`
    public let baseURL: String

    public init(arguments: [String] = []) throws {
        child = try ChildProcess(
            executable: BuiltProducts.executable("tokenbroker-mock"),
            arguments: ["--listen", "127.0.0.1:0", "--exit-with-parent"] + arguments,
            readyMarker: "listening on")
        baseURL = "http://" + child.announcedAddress
    }
}

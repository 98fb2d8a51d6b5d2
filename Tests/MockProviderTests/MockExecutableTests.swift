import BrokerFixtures
import Foundation
import MockProvider
import Testing

/// Runs the real `tokenbroker-mock` binary as a child process, as a benchmark script would.
@Suite("tokenbroker-mock executable")
struct MockExecutableTests {
    static let binDirectory = BuiltProducts.directory

    @Test func startsOnPortZeroPrintsThePortAndAnswers() async throws {
        let executable = Self.binDirectory.appendingPathComponent("tokenbroker-mock")
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "build it first: swift build --product tokenbroker-mock")
        let configFile = FileManager.default.temporaryDirectory.appendingPathComponent("mock-\(UUID().uuidString).yaml")
        try "default:\n  response_tokens: 3\n".write(to: configFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: configFile) }

        let process = Process()
        process.executableURL = executable
        process.arguments = ["--listen", "127.0.0.1:0", "--config", configFile.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
        }

        let line = try await Self.firstLine(of: output.fileHandleForReading, from: process)
        let prefix = "tokenbroker-mock listening on 127.0.0.1:"
        #expect(line.hasPrefix(prefix), "\(line)")
        let port = try #require(Int(line.dropFirst(prefix.count)))
        #expect(port > 0)

        let exchange = try await RawHTTPClient.post(port: port, path: "/v1/chat/completions", body: openAIBody())
        #expect(exchange.status == 200)
        let json = try parseJSON(exchange.body)
        #expect(json["object"] == "chat.completion")
        #expect(json["usage"]?["completion_tokens"] == 3)

        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit || process.terminationStatus == SIGTERM)
    }

    @Test func badListenAddressIsAUsageError() throws {
        let process = Process()
        process.executableURL = Self.binDirectory.appendingPathComponent("tokenbroker-mock")
        process.arguments = ["--listen", "nonsense"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus != 0)
    }

    /// Reads up to the first newline, giving up after 30 seconds (by stopping `process`,
    /// which closes the pipe and so ends the blocked read).
    static func firstLine(of handle: FileHandle, from process: Process) async throws -> String {
        struct NoLine: Error {}
        return try await withThrowingTaskGroup(of: String.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    Thread {
                        var data = Data()
                        while !data.contains(UInt8(ascii: "\n")) {
                            let chunk = handle.availableData
                            if chunk.isEmpty { break }
                            data.append(chunk)
                        }
                        let line = String(decoding: data.prefix { $0 != UInt8(ascii: "\n") }, as: UTF8.self)
                        continuation.resume(with: data.isEmpty ? .failure(NoLine()) : .success(line))
                    }.start()
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(30))
                process.terminate()
                throw NoLine()
            }
            let line = try await group.next()!
            group.cancelAll()
            return line
        }
    }
}

import ArgumentParser
import Foundation
import Hummingbird
import MockProvider

/// `tokenbroker-mock`: a stand-in for the OpenAI, Anthropic and Gemini APIs on one port, with
/// per-model latency, speed, length, errors, cuts and hangs (see docs/mock.md).
@main
struct TokenBrokerMock: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenbroker-mock",
        abstract: "Mock LLM provider (OpenAI, Anthropic and Gemini wire formats) for tests, demos and benchmarks.",
        discussion: """
            Prints 'tokenbroker-mock listening on ADDRESS' once it accepts connections, with the \
            real port when --listen asks for port 0. Change behaviour at run time with \
            PUT /_mock/models/{model}; see docs/mock.md.
            """)

    @Option(help: "HOST:PORT to listen on (port 0 picks a free port), or unix:/path.sock.")
    var listen = "127.0.0.1:9100"

    @Option(help: "Behaviour configuration: YAML, or JSON when the name ends in .json.")
    var config: String?

    @Flag(help: "Exit when the process that started this one exits (for test harnesses).")
    var exitWithParent = false

    func validate() throws {
        do {
            _ = try ListenAddress(parsing: listen)
        } catch {
            throw ValidationError("--listen: \(error)")
        }
    }

    func run() async throws {
        let address = try ListenAddress(parsing: listen)
        let configuration: MockConfiguration
        do {
            configuration = try config.map(MockConfiguration.load(path:)) ?? MockConfiguration()
        } catch {
            FileHandle.standardError.write(Data("tokenbroker-mock: \(error)\n".utf8))
            throw ExitCode.failure
        }
        if case .unix(let path) = address {
            removeStaleSocket(path)
        }
        if exitWithParent { ParentWatch.start() }
        let app = buildMockApplication(state: MockState(configuration: configuration), address: address.bindAddress) { channel in
            // One line on stdout, flushed at once: scripts and tests wait for it.
            FileHandle.standardOutput.write(Data("tokenbroker-mock listening on \(ListenAddress.describe(channel.localAddress))\n".utf8))
        }
        try await app.runService()
    }

    /// A socket file left by an earlier run would make the bind fail; anything else at the path is kept.
    private func removeStaleSocket(_ path: String) {
        let type = try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType
        if type == .typeSocket {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}

/// Exits the process once its parent is gone, so a test run that dies never leaves a mock behind.
enum ParentWatch {
    static func start() {
        let parent = getppid()
        Thread.detachNewThread {
            while getppid() == parent { Thread.sleep(forTimeInterval: 0.25) }
            exit(0)
        }
    }
}

import ArgumentParser
import Foundation

/// `tokenbroker-mock`: the mock upstream provider (OpenAI, Anthropic and Gemini wire
/// formats) is built by the upstream issue; this build only reserves the command.
@main
struct TokenBrokerMock: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenbroker-mock", abstract: "Mock LLM provider for tests and benchmarks (not in this build yet).")

    func run() throws {
        FileHandle.standardError.write(Data("tokenbroker-mock: the mock provider is not part of this build yet\n".utf8))
        throw ExitCode.failure
    }
}

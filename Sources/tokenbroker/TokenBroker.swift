import ArgumentParser
import Foundation

/// `tokenbroker`: inspect and steer TokenBroker.
///
/// Exit codes: 0 success, 1 a refused or failed operation, 2 bad usage.
struct TokenBroker: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenbroker",
        abstract: "Inspect and steer the TokenBroker price-aware LLM gateway.",
        discussion: """
            Commands take --offline to work directly on the provider files (and, with --db, a
            TokenBroker SQLite database) without a running daemon.
            """,
        subcommands: [Route.self, Offers.self, Prices.self, Replay.self, Wars.self, Report.self])
}

/// A failure to report in one line, exiting 1.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}

@main
enum Main {
    static func main() async {
        do {
            var command = try TokenBroker.parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(reporting: error)
        }
    }

    /// Usage errors exit 2 (like most Unix tools; argument-parser's default is 64), failed
    /// operations 1, `--help` 0.
    static func exit(reporting error: any Error) -> Never {
        let code = TokenBroker.exitCode(for: error)
        if code == .success {
            print(TokenBroker.fullMessage(for: error))
            Foundation.exit(0)
        }
        let message: String
        if let failure = error as? CommandFailure {
            message = "tokenbroker: \(failure.description)"
        } else if code == .validationFailure {
            message = TokenBroker.fullMessage(for: error)
        } else {
            message = "tokenbroker: \(error)"
        }
        FileHandle.standardError.write(Data((message + "\n").utf8))
        Foundation.exit(code == .validationFailure ? 2 : 1)
    }
}

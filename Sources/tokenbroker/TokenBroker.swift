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
            Commands talk to the running tokenbrokerd over its control socket (--socket, else \
            TOKENBROKER_SOCKET, else var/tokenbroker.sock). route explain, offers list and prices \
            history|import also take --offline to work on the provider files (and, with --db, a \
            TokenBroker SQLite database) without a daemon. --json on every command prints JSON. \
            Exit codes: 0 success, 1 refused or failed, 2 bad usage.
            """,
        subcommands: [
            Status.self, Providers.self, Offers.self, Prices.self, Route.self, Decisions.self, Switches.self, Churn.self,
            Loyalty.self, Concentration.self, Keys.self, Policies.self, Credits.self, Reload.self, Completion.self,
            Replay.self, Wars.self, Report.self,
        ])
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
        // A command that has printed its own answer and only sets the exit status.
        if let exit = error as? ExitCode { Foundation.exit(exit.rawValue) }
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

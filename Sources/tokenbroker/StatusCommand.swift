import ArgumentParser
import ControlPlane
import Foundation

extension TokenBroker {
    /// `tokenbroker status`: the daemon at a glance.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the daemon's version, uptime, addresses, catalogue, traffic today and store.")

        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let status = try await daemon.call { client throws(ControlClientError) in try await client.get("/v1/status", as: StatusReport.self) }
            if output.json { return try JSONOutput.print(status) }
            var table = TextTable(["", ""])
            table.append(["version", "\(status.version) (pid \(status.pid))"])
            table.append(["uptime", "\(Cell.duration(seconds: status.uptimeSeconds)) since \(Cell.time(status.startedAt))"])
            table.append(["listen", status.listen])
            table.append(["control socket", status.controlSocket])
            table.append(["catalogue", "\(status.providers) providers, \(status.offers) offers, \(status.policies) policies"])
            table.append(["out of routing", status.providersOutOfRouting.isEmpty ? "none" : status.providersOutOfRouting.joined(separator: ", ")])
            table.append(["requests", "\(status.requestsSinceStart) since start"])
            table.append(["decisions", "\(status.decisions) logged, \(status.decisionsToday) today (\(status.decisionLogPending) pending)"])
            table.append(["switches today", "\(status.switchesToday)"])
            table.append(["spend today", "\(status.spendTodayUSD) USD"])
            table.append(["store", "\(status.store) (\(status.storeBytes / 1024) KiB)"])
            if status.decisionLogFailing { table.append(["WARNING", "decision log writes are failing"]) }
            if let error = status.lastReloadError { table.append(["last reload", "rejected: \(error)"]) }
            print(table.render().split(separator: "\n").dropFirst(1).joined(separator: "\n"))
        }
    }

    /// `tokenbroker reload`: what SIGHUP does, with the outcome reported.
    struct Reload: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-read the daemon's configuration and provider files (all or nothing, like SIGHUP).")

        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let result = try await daemon.call { client throws(ControlClientError) in
                try await client.send("POST", "/v1/reload", json: [String: String](), as: ActionResult.self)
            }
            if output.json { return try JSONOutput.print(result) }
            print(result.message)
        }
    }

    /// `tokenbroker completion bash|zsh|fish`.
    struct Completion: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a shell completion script.",
            discussion: "bash: tokenbroker completion bash > /etc/bash_completion.d/tokenbroker")

        @Argument(help: "bash, zsh or fish.")
        var shell: String

        func validate() throws {
            guard CompletionShell(rawValue: shell) != nil else { throw ValidationError("the shell must be bash, zsh or fish, not \(shell)") }
        }

        func run() throws {
            print(TokenBroker.completionScript(for: CompletionShell(rawValue: shell)!))
        }
    }
}

import ArgumentParser
import ControlPlane
import Foundation

extension TokenBroker {
    /// `tokenbroker decisions list|show`.
    struct Decisions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Read the decision log: what each request was routed to, and why.", subcommands: [List.self, Show.self])
    }
}

extension TokenBroker.Decisions {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List decisions, newest first.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only decisions from this time (ISO 8601, YYYY-MM-DD, or an age such as 24h, 7d).") var since: String?
        @Option(help: "Only this tenant's decisions.") var tenant: String?
        @Option(help: "Only decisions under this policy.") var policy: String?
        @Option(help: "At most this many (1 to 100000).") var limit: Int = 50

        func validate() throws {
            try TimeOption.validate(since, "--since")
            guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 100000") }
        }

        func run() async throws {
            let decisions = try await daemon.call { client throws(ControlClientError) in
                try await client.get(
                    "/v1/decisions",
                    query: [("since", TimeOption.absolute(since)), ("tenant", tenant), ("policy", policy), ("limit", "\(limit)")],
                    as: [DecisionView].self)
            }
            if output.json { return try JSONOutput.print(decisions) }
            var table = TextTable(["id", "time", "tenant", "policy", "offer", "status", "cost usd", "switch"], rightAligned: [6])
            for decision in decisions {
                let offer = decision.provider.map { "\($0)/\(decision.model ?? "")" } ?? "-"
                table.append([
                    decision.id, Cell.time(decision.at), decision.tenant, decision.policy, offer, decision.status,
                    Cell.text(decision.actualCostUSD ?? decision.expectedCostUSD),
                    decision.switched ? "from \(decision.previousProvider ?? "?")" : (decision.held ? "held" : ""),
                ])
            }
            print(table.render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one decision in full.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The decision id (x-tokenbroker-decision on the answer).") var id: String

        func run() async throws {
            let decision = try await daemon.call { client throws(ControlClientError) in
                try await client.get("/v1/decisions/\(ProviderPath.escape(id))", as: DecisionView.self)
            }
            if output.json { return try JSONOutput.print(decision) }
            var table = TextTable(["", ""])
            table.append(["decision", decision.id])
            table.append(["time", decision.at])
            table.append(["tenant / policy", "\(decision.tenant) / \(decision.policy) (target \(decision.target))"])
            table.append(["offer", decision.provider.map { "\($0)/\(decision.model ?? "")" } ?? "none"])
            table.append(["status", decision.status])
            table.append(["expected cost", decision.expectedCostUSD.map { "\($0) USD" } ?? "-"])
            table.append(["actual cost", decision.actualCostUSD.map { "\($0) USD" } ?? "-"])
            table.append(["price version", Cell.text(decision.priceEffectiveAt)])
            table.append([
                "tokens", "prompt \(decision.actualPromptTokens ?? decision.promptTokensEstimate), output \(decision.actualOutputTokens ?? decision.outputTokensEstimate)",
            ])
            table.append(["previous provider", Cell.text(decision.previousProvider) + (decision.switched ? " (switched)" : decision.held ? " (held)" : "")])
            table.append(["attempts", decision.attempts.isEmpty ? "-" : decision.attempts.joined(separator: ", ")])
            table.append(["latency", decision.latencyMs.map { "\($0) ms" } ?? "-"])
            for (index, candidate) in decision.candidates.enumerated() {
                table.append([index == 0 ? "candidates" : "", candidate])
            }
            let exclusions = decision.exclusions.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            table.append(["excluded", exclusions.isEmpty ? "none" : exclusions])
            print(table.render().split(separator: "\n").dropFirst(1).joined(separator: "\n"))
        }
    }
}

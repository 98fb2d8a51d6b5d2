import ArgumentParser
import BrokerCore
import ControlPlane
import Foundation

extension TokenBroker {
    /// `tokenbroker policies list|show`.
    struct Policies: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the routing policies clients can name.", subcommands: [List.self, Show.self])
    }

    /// `tokenbroker credits list|set`.
    struct Credits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Prepaid credit per provider, spent before paying list price.", subcommands: [List.self, Set.self])
    }
}

extension TokenBroker.Policies {
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List policies.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let policies = try await daemon.call { client throws(ControlClientError) in
                try await client.get("/v1/policies", as: [PolicyView].self)
            }
            if output.json { return try JSONOutput.print(policies) }
            var table = TextTable(["policy", "min quality", "data class", "switch threshold %", "capabilities", "description"], rightAligned: [1, 3])
            for policy in policies {
                table.append([
                    policy.id, policy.minQuality.map(String.init) ?? "-", policy.dataClass, policy.switchingThresholdPercent,
                    policy.capabilities.isEmpty ? "-" : policy.capabilities.joined(separator: ","), policy.description,
                ])
            }
            print(table.render())
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one policy.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The policy name.") var policy: String

        func run() async throws {
            let view = try await daemon.call { client throws(ControlClientError) in
                try await client.get("/v1/policies/\(ProviderPath.escape(policy))", as: PolicyView.self)
            }
            if output.json { return try JSONOutput.print(view) }
            var table = TextTable(["", ""])
            table.append(["policy", view.id])
            table.append(["description", view.description])
            table.append(["min quality", view.minQuality.map(String.init) ?? "none"])
            table.append(["capabilities", view.capabilities.isEmpty ? "none" : view.capabilities.joined(separator: ", ")])
            table.append(["data class", view.dataClass])
            table.append(["providers", view.allowedProviders?.joined(separator: ", ") ?? "any"])
            table.append(["regions", view.allowedRegions?.joined(separator: ", ") ?? "any"])
            table.append(["max cost", view.maxCostPerRequestUSD.map { "\($0) USD per request" } ?? "none"])
            table.append(["switching threshold", "\(view.switchingThresholdPercent)%"])
            table.append(["cached prompt share", "\(view.cachedPromptPercent)%"])
            table.append(["expected output", "\(view.expectedOutputTokens) tokens"])
            print(table.render().split(separator: "\n").dropFirst(1).joined(separator: "\n"))
        }
    }
}

extension TokenBroker.Credits {
    static func table(_ credits: [CreditView]) -> String {
        var table = TextTable(["provider", "remaining usd", "expires"], rightAligned: [1])
        for credit in credits { table.append([credit.provider, credit.remainingUSD, Cell.time(credit.expiresAt)]) }
        return table.render()
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List prepaid credits.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let credits = try await daemon.call { client throws(ControlClientError) in
                try await client.get("/v1/credits", as: [CreditView].self)
            }
            if output.json { return try JSONOutput.print(credits) }
            print(TokenBroker.Credits.table(credits))
        }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a provider's remaining prepaid credit; routing counts it from the next request.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The provider id.") var provider: String
        @Option(help: "Remaining credit in USD.") var usd: String
        @Option(help: "When it expires (ISO 8601, YYYY-MM-DD, or a span from now such as 30d).") var expires: String?

        func validate() throws {
            guard Money(operatorUSD: usd, allowingZero: true) != nil else {
                throw ValidationError("--usd must be \(Money.operatorUSDRule(allowingZero: true)), not \(usd)")
            }
            if let expires, TimeArgument.future(expires, now: Date()) == nil {
                throw ValidationError("--expires: not a time (ISO 8601, YYYY-MM-DD, or a span such as 30d): \(expires)")
            }
        }

        func run() async throws {
            let body = CreditView(
                provider: provider, remainingUSD: usd,
                expiresAt: expires.flatMap { TimeArgument.future($0, now: Date()) }.map { $0.formatted(.iso8601) })
            let credit = try await daemon.call { client throws(ControlClientError) in
                try await client.send("PUT", "/v1/credits/\(ProviderPath.escape(provider))", json: body, as: CreditView.self)
            }
            if output.json { return try JSONOutput.print(credit) }
            print(TokenBroker.Credits.table([credit]))
        }
    }
}

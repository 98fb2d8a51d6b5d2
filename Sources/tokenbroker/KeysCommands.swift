import ArgumentParser
import BrokerCore
import ControlPlane
import Foundation

extension TokenBroker {
    /// `tokenbroker keys create|list|revoke`.
    struct Keys: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create, list and revoke tenant API keys.", subcommands: [Create.self, List.self, Revoke.self])
    }
}

extension TokenBroker.Keys {
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key for a tenant; the key is printed once and only its SHA-256 is kept.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The tenant the key belongs to.") var tenant: String
        @Option(help: "A spending limit in USD per period.") var budget: String?
        @Option(help: "The budget period: day or month (default month).") var period: String?
        @Option(help: "The policy used when a request asks for model auto.") var policy: String?

        func validate() throws {
            if let problem = TenantName.problem(tenant) { throw ValidationError("--tenant \(problem)") }
            if let budget, Money(operatorUSD: budget, allowingZero: false) == nil {
                throw ValidationError("--budget must be \(Money.operatorUSDRule(allowingZero: false)), not \(budget)")
            }
            if let period, !["day", "month"].contains(period) { throw ValidationError("--period must be day or month") }
            if period != nil && budget == nil { throw ValidationError("--period needs --budget") }
        }

        func run() async throws {
            let request = KeyCreateRequest(tenant: tenant, budgetUSD: budget, period: period, policy: policy)
            let key = try await daemon.call { client throws(ControlClientError) in
                try await client.send("POST", "/v1/keys", json: request, as: CreatedKey.self)
            }
            if output.json { return try JSONOutput.print(key) }
            print(key.key)
            FileHandle.standardError.write(Data("key \(key.id) for tenant \(key.tenant): shown once, store it now\n".utf8))
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never the keys themselves).")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "Only this tenant's keys.") var tenant: String?

        func run() async throws {
            let keys = try await daemon.call { client throws(ControlClientError) in
                try await client.get("/v1/keys", query: [("tenant", tenant)], as: [KeyRow].self)
            }
            if output.json { return try JSONOutput.print(keys) }
            var table = TextTable(["id", "tenant", "budget usd", "period", "policy", "created", "revoked"], rightAligned: [2])
            for key in keys {
                table.append([
                    key.id, key.tenant, Cell.text(key.budgetUSD), Cell.text(key.period), Cell.text(key.policy), Cell.time(key.createdAt),
                    Cell.time(key.revokedAt),
                ])
            }
            print(table.render())
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; requests with it are refused at once.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The key id (keys list).") var id: String

        func run() async throws {
            let key = try await daemon.call { client throws(ControlClientError) in
                try await client.call("DELETE", "/v1/keys/\(ProviderPath.escape(id))", query: [], body: nil)
            }
            let row: KeyRow
            do {
                row = try JSONDecoder().decode(KeyRow.self, from: key)
            } catch {
                throw CommandFailure(description: "unexpected answer from the daemon: \(error)")
            }
            if output.json { return try JSONOutput.print(row) }
            print("\(row.id) (tenant \(row.tenant)): revoked")
        }
    }
}

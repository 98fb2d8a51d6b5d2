import ArgumentParser
import ControlPlane
import Foundation

extension TokenBroker {
    /// `tokenbroker providers list|show|enable|disable|drain`.
    struct Providers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List providers and take them in and out of routing.",
            discussion: "disable and drain last until enable, across daemon restarts.",
            subcommands: [List.self, Show.self, Enable.self, Disable.self, Drain.self])
    }
}

extension TokenBroker.Providers {
    static func table(_ providers: [ProviderStatus]) -> String {
        var table = TextTable(
            ["provider", "state", "offers", "in flight", "format", "region", "credit", "open circuits", "base url"], rightAligned: [2, 3])
        for provider in providers {
            table.append([
                provider.id, provider.state, "\(provider.offers)", "\(provider.inFlight)", provider.wireFormat, provider.region, Cell.text(provider.creditUSD),
                provider.openCircuits.isEmpty ? "-" : "\(provider.openCircuits.count)", provider.baseURL + (provider.demo ? " (demo)" : ""),
            ])
        }
        return table.render()
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List providers with their routing state.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let providers = try await daemon.call { client throws(ControlClientError) in
                try await client.get("/v1/providers", as: [ProviderStatus].self)
            }
            if output.json { return try JSONOutput.print(providers) }
            print(TokenBroker.Providers.table(providers))
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one provider.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The provider id.") var provider: String

        func run() async throws {
            let status = try await daemon.call { client throws(ControlClientError) in
                try await client.get("/v1/providers/\(ProviderPath.escape(provider))", as: ProviderStatus.self)
            }
            if output.json { return try JSONOutput.print(status) }
            var table = TextTable(["", ""])
            table.append(["provider", "\(status.id) (\(status.name))"])
            table.append(["state", status.state + (status.reason.map { ": \($0)" } ?? "")])
            table.append(["wire format", status.wireFormat])
            table.append(["base url", status.baseURL + (status.demo ? " (demo overlay)" : "")])
            table.append(["region", status.region])
            table.append(["offers", "\(status.offers)"])
            table.append(["in flight", "\(status.inFlight)"])
            table.append(["credit", status.creditUSD.map { "\($0) USD" } ?? "none"])
            table.append(["open circuits", status.openCircuits.isEmpty ? "none" : status.openCircuits.joined(separator: ", ")])
            print(table.render().split(separator: "\n").dropFirst(1).joined(separator: "\n"))
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Put a provider back into routing.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The provider id.") var provider: String
        func run() async throws { try await ProviderPath.act("enable", provider, daemon, output) }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take a provider out of routing now.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The provider id.") var provider: String
        func run() async throws { try await ProviderPath.act("disable", provider, daemon, output) }
    }

    struct Drain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a provider no new requests; requests in flight finish.")
        @OptionGroup var daemon: DaemonOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The provider id.") var provider: String
        func run() async throws { try await ProviderPath.act("drain", provider, daemon, output) }
    }
}

enum ProviderPath {
    /// A path segment: ids are plain names, but never let one reach another route.
    static func escape(_ segment: String) -> String {
        segment.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? segment
    }

    static func act(_ action: String, _ provider: String, _ daemon: DaemonOptions, _ output: OutputOptions) async throws {
        let status = try await daemon.call { client throws(ControlClientError) in
            try await client.send("POST", "/v1/providers/\(escape(provider))/\(action)", json: [String: String](), as: ProviderStatus.self)
        }
        if output.json { return try JSONOutput.print(status) }
        print("\(status.id): \(status.state)" + (status.reason.map { " (\($0))" } ?? "") + (status.inFlight > 0 ? ", \(status.inFlight) in flight" : ""))
    }
}

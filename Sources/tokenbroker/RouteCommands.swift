import ArgumentParser
import BrokerCore
import ControlPlane
import Foundation

extension TokenBroker {
    struct Route: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Explain routing decisions.", subcommands: [Explain.self])
    }
}

extension TokenBroker.Route {
    /// A dry run of the real router: the chosen offer, the ranked candidates and every exclusion.
    struct Explain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show which offer a request would be routed to, and why the others were not.")

        @OptionGroup var catalogue: CatalogueOptions
        @OptionGroup var output: OutputOptions

        @Option(help: "A policy name (default: auto).")
        var policy: String?

        @Option(help: "A model id or provider/model instead of a policy.")
        var model: String?

        @Option(help: "Estimated prompt tokens.")
        var promptTokens: Int = 1_000

        @Option(help: "The request's max_tokens.")
        var maxTokens: Int?

        @Flag(help: "The request uses tools.")
        var tools = false

        @Flag(help: "The request has images.")
        var vision = false

        @Flag(help: "The request asks for a JSON schema response.")
        var jsonSchema = false

        @Flag(help: "The request streams.")
        var stream = false

        @Option(help: "The data class: public, internal, confidential or restricted.")
        var dataClass: String?

        @Option(help: "A quality floor on top of the policy's.")
        var minQuality: Int?

        @Option(help: "The provider that served this stream last, to show hysteresis.")
        var previousProvider: String?

        @Option(help: "Explain for this tenant's stream (its last provider sets hysteresis); daemon only.")
        var tenant: String?

        @OptionGroup var daemon: DaemonOptions

        @Option(help: "Rows of candidates and exclusions to show in the table (the JSON has all).")
        var limit: Int = 15

        func validate() throws {
            if policy != nil && model != nil { throw ValidationError("give --policy or --model, not both") }
            if promptTokens < 0 { throw ValidationError("--prompt-tokens must not be negative") }
            if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
            if let dataClass, DataClass(rawValue: dataClass) == nil {
                throw ValidationError("--data-class must be one of: \(DataClass.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if limit < 1 { throw ValidationError("--limit must be at least 1") }
            if tenant != nil && catalogue.offline { throw ValidationError("--tenant needs the daemon's streams: drop --offline") }
        }

        func run() async throws {
            let explanation = catalogue.offline ? try offline() : try await online()
            if output.json {
                try JSONOutput.print(explanation)
            } else {
                print(RouteExplanationView(explanation, limit: limit).render())
            }
            if explanation.chosen == nil { throw ExitCode.failure }
        }

        func online() async throws -> RouteExplanation {
            let request = RouteExplainRequest(
                policy: policy, model: model, promptTokens: promptTokens, maxTokens: maxTokens, tools: tools, vision: vision,
                jsonSchema: jsonSchema, stream: stream, dataClass: dataClass, minQuality: minQuality, tenant: tenant,
                previousProvider: previousProvider)
            return try await daemon.call { client throws(ControlClientError) in
                try await client.send("POST", "/v1/route/explain", json: request, as: RouteExplanation.self)
            }
        }

        func offline() throws -> RouteExplanation {
            let catalogue = try self.catalogue.loadCatalogue()
            let now = self.catalogue.date
            let table = RoutingTable(catalogue: catalogue, at: now)
            var capabilities: Capabilities = []
            if tools { capabilities.insert(.tools) }
            if vision { capabilities.insert(.vision) }
            if jsonSchema { capabilities.insert(.jsonSchema) }
            if stream { capabilities.insert(.streaming) }
            let profile = RequestProfile(
                model: model ?? policy ?? "auto", capabilities: capabilities, stream: stream,
                estimatedPromptTokens: promptTokens, maxOutputTokens: maxTokens)
            let overrides = RequestOverrides(minQuality: minQuality, dataClass: dataClass.flatMap(DataClass.init(rawValue:)))
            let query: RoutingQuery
            do {
                query = try table.query(for: profile, overrides: overrides)
            } catch {
                throw CommandFailure(description: "\(error)")
            }
            let decision = Router.route(
                query, in: table, context: RoutingContext(now: now, previousProvider: previousProvider), detail: .explain)
            return RouteExplanation(decision)
        }
    }
}

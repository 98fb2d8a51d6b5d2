public import BrokerCore
public import Foundation

/// A replay workload in YAML (format in `docs/cli.md`, examples in `Deploy/examples/`):
///
/// ```yaml
/// name: cfo-mixed
/// start: 2025-01-01          # optional; default: the history's first day
/// policies:                  # optional; same fields as Providers/policies.yaml
///   - id: reasoning
///     min_quality: 1430
///     expected_output_tokens: 3000
/// streams:
///   - tenant: analysts
///     model: reasoning       # a policy, a model id or provider/model
///     prompt_tokens: 2000
///     max_tokens: 4000       # optional
///     capabilities: [tools]  # optional
///     requests_per_day: 40
/// ```
public enum WorkloadFile {
    public static func load(_ url: URL) throws(ProviderFileError) -> Workload {
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw ProviderFileError(file: url.path, message: "cannot read the file: \(error.localizedDescription)")
        }
        return try parse(text, file: url.path)
    }

    public static func parse(_ text: String, file: String) throws(ProviderFileError) -> Workload {
        let root = try YAMLField.root(yaml: text, file: file)
        _ = try root.mapping(allowed: ["name", "start", "end", "policies", "streams"])
        var policies: [Policy] = []
        if let field = root.optional("policies") { policies = try PoliciesFile.parse(list: field) }
        var streams: [WorkloadStream] = []
        var keys: Set<String> = []
        for entry in try root.required("streams").list() {
            _ = try entry.mapping(allowed: ["tenant", "model", "prompt_tokens", "max_tokens", "capabilities", "requests_per_day"])
            let tenantField = try entry.required("tenant")
            let tenant = try tenantField.nonEmptyString()
            guard !tenant.contains("/") else { throw tenantField.error("a tenant name cannot contain \"/\" (streams are tenant/model)") }
            let stream = WorkloadStream(
                tenant: tenant, model: try entry.required("model").nonEmptyString(),
                promptTokens: try entry.required("prompt_tokens").int(in: 0...10_000_000),
                maxTokens: try entry.optional("max_tokens")?.int(in: 1...10_000_000),
                capabilities: try entry.optional("capabilities")?.capabilities() ?? [],
                requestsPerDay: try entry.required("requests_per_day").int(in: 0...100_000_000))
            guard keys.insert(stream.streamKey).inserted else {
                throw tenantField.error("stream \(stream.streamKey) is defined twice (one shape per tenant and model)")
            }
            streams.append(stream)
        }
        guard !streams.isEmpty else { throw root.error("a workload needs at least one stream") }
        let name = try root.optional("name")?.nonEmptyString() ?? URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        return Workload(
            name: name, streams: streams, policies: policies, start: try root.optional("start")?.date(),
            end: try root.optional("end")?.date())
    }
}

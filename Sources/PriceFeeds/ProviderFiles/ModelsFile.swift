import BrokerCore
import Yams

/// `Providers/models.yaml`: model identities shared by every host that sells them.
enum ModelsFile {
    static func parse(_ root: YAMLField) throws(ProviderFileError) -> [Model] {
        _ = try root.mapping(allowed: ["quality_source", "models"])
        let defaultSource = try root.optional("quality_source")?.string()
        var models: [Model] = []
        var seen: Set<String> = []
        for entry in try root.required("models").list() {
            _ = try entry.mapping(allowed: [
                "id", "family", "quality", "arena_name", "quality_source", "capabilities", "context",
                "effective_context", "max_output",
            ])
            let idField = try entry.required("id")
            let id = try idField.nonEmptyString()
            guard seen.insert(id).inserted else { throw idField.error("model \"\(id)\" is defined twice") }
            var quality: QualityScore?
            if let score = try entry.optional("quality")?.int(in: 0...10_000) {
                let source = try entry.optional("quality_source")?.string() ?? defaultSource
                guard let source else {
                    throw try entry.required("quality").error("a quality score needs a quality_source (here or at the top of the file)")
                }
                let arenaName = try entry.optional("arena_name")?.string()
                quality = QualityScore(score: score, source: arenaName.map { "\(source): \($0)" } ?? source)
            }
            let context = try entry.required("context").int(in: 1...100_000_000)
            let effectiveField = entry.optional("effective_context")
            let effective = try effectiveField?.int(in: 1...100_000_000) ?? context
            if let effectiveField, effective > context {
                throw effectiveField.error("effective context \(effective) exceeds the advertised context \(context)")
            }
            models.append(
                Model(
                    id: id, family: try entry.optional("family")?.nonEmptyString() ?? id, quality: quality,
                    capabilities: try entry.optional("capabilities")?.capabilities() ?? [], advertisedContext: context,
                    effectiveContext: effective, maxOutputTokens: try entry.required("max_output").int(in: 1...100_000_000)))
        }
        return models
    }
}

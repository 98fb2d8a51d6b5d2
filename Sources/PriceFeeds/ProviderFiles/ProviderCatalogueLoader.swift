public import BrokerCore
public import Foundation
import Yams

/// Loads the human-edited catalogue in `Providers/`: `models.yaml`, `policies.yaml` and one
/// `<provider>.yaml` per provider (format in `docs/providers.md`).
///
/// Loading is all or nothing: the first malformed file stops it with a
/// ``ProviderFileError`` naming the file, line and field, and nothing is returned.
///
/// ```swift
/// let catalogue = try ProviderCatalogueLoader.load(directory: URL(fileURLWithPath: "Providers"))
/// ```
public enum ProviderCatalogueLoader {
    public static let modelsFile = "models.yaml"
    public static let policiesFile = "policies.yaml"

    public static func load(directory: URL) throws(ProviderFileError) -> Catalogue {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        } catch {
            throw ProviderFileError(file: directory.path, message: "cannot list the directory: \(error.localizedDescription)")
        }
        func read(_ name: String) throws(ProviderFileError) -> (text: String, path: String) {
            let url = directory.appendingPathComponent(name)
            do {
                return (try LocalFile.text(url.path), url.path)
            } catch {
                throw ProviderFileError(file: url.path, message: "\(error)")
            }
        }
        guard names.contains(modelsFile) else {
            throw ProviderFileError(file: directory.appendingPathComponent(modelsFile).path, message: "missing: every catalogue needs its models")
        }
        let models = try read(modelsFile)
        var sources: [ProviderSource] = []
        for name in names where name != modelsFile && name != policiesFile {
            let file = try read(name)
            sources.append(ProviderSource(fileName: name, path: file.path, text: file.text))
        }
        let policies = names.contains(policiesFile) ? try read(policiesFile) : nil
        return try parse(
            models: (models.text, models.path), policies: policies.map { ($0.text, $0.path) }, providers: sources)
    }

    /// One provider file's name and contents.
    public struct ProviderSource: Sendable {
        public var fileName: String
        public var path: String
        public var text: String

        public init(fileName: String, path: String? = nil, text: String) {
            self.fileName = fileName
            self.path = path ?? fileName
            self.text = text
        }
    }

    /// Parses catalogue files already read into memory.
    public static func parse(
        models: (text: String, path: String), policies: (text: String, path: String)?, providers: [ProviderSource]
    ) throws(ProviderFileError) -> Catalogue {
        let modelList = try ModelsFile.parse(YAMLField.root(yaml: models.text, file: models.path))
        let modelsByID = Dictionary(modelList.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var policyList: [Policy] = []
        if let policies {
            policyList = try PoliciesFile.parse(YAMLField.root(yaml: policies.text, file: policies.path))
        }
        var providerList: [Provider] = []
        var offers: [PricedOffer] = []
        for source in providers {
            let root = try YAMLField.root(yaml: source.text, file: source.path)
            let expectedID = source.fileName.replacingOccurrences(of: ".yaml", with: "").replacingOccurrences(of: ".yml", with: "")
            let parsed = try ProviderFile.parse(root, expectedID: expectedID, models: modelsByID)
            providerList.append(parsed.provider)
            offers += parsed.offers
        }
        return Catalogue(providers: providerList, models: modelList, offers: offers, policies: policyList)
    }
}

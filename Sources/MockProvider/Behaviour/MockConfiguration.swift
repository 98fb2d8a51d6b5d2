public import Foundation
import Yams

/// Everything the mock is told: the seed of its error draws, an optional API key to demand,
/// the `default` behaviour and per-model overrides of it.
///
/// ```yaml
/// seed: 7
/// require_api_key: sk-mock
/// default:
///   response_tokens: 32
/// models:
///   gpt-4o-mini: { first_token_latency_ms: 200, tokens_per_second: 80 }
///   claude-3-5-haiku: { error: overloaded, error_rate: 0.2 }
/// ```
public struct MockConfiguration: Sendable, Equatable, Decodable {
    /// Seeds each model's error-rate generator (together with the model's name).
    public var seed: UInt64 = 0
    /// When set, a request must carry this key (Bearer, `x-api-key`, `x-goog-api-key` or
    /// Gemini's `?key=`), else it gets a 401 in its format's shape.
    public var requiredAPIKey: String?
    /// Applied over `ModelBehaviour()` for every model.
    public var defaultPatch = BehaviourPatch()
    /// Applied over the default behaviour for the named model.
    public var modelPatches: [String: BehaviourPatch] = [:]

    public init() {}

    /// The behaviour of `model`: its overrides over the default.
    public func behaviour(for model: String) -> ModelBehaviour {
        let base = defaultPatch.applied(to: ModelBehaviour())
        guard let patch = modelPatches[model] else { return base }
        return patch.applied(to: base)
    }

    /// Sets `model`'s overrides; the model named `default` sets the default behaviour.
    public mutating func setPatch(_ patch: BehaviourPatch, for model: String) {
        if model == "default" {
            defaultPatch = patch
        } else {
            modelPatches[model] = patch
        }
    }

    enum Key: String, CodingKey, CaseIterable {
        case seed
        case requiredAPIKey = "require_api_key"
        case defaultPatch = "default"
        case modelPatches = "models"
    }

    public init(from decoder: any Decoder) throws {
        let any = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = any.allKeys.first(where: { Key(rawValue: $0.stringValue) == nil }) {
            throw BehaviourError(field: unknown.stringValue, message: "unknown key (known: seed, require_api_key, default, models)")
        }
        let container = try decoder.container(keyedBy: Key.self)
        seed = try container.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
        requiredAPIKey = try container.decodeIfPresent(String.self, forKey: .requiredAPIKey)
        defaultPatch = try container.decodeIfPresent(BehaviourPatch.self, forKey: .defaultPatch) ?? BehaviourPatch()
        modelPatches = try container.decodeIfPresent([String: BehaviourPatch].self, forKey: .modelPatches) ?? [:]
    }

    /// Reads a config file: JSON when it ends in `.json`, YAML otherwise.
    /// - Throws: `MockConfigurationError` naming the file and what is wrong in it.
    public static func load(path: String) throws -> MockConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw MockConfigurationError(path: path, message: "cannot be read (\(error.localizedDescription))")
        }
        return try parse(data, json: path.hasSuffix(".json"), path: path)
    }

    /// Parses config text (see `load(path:)`); `path` only names it in errors.
    public static func parse(_ data: Data, json: Bool, path: String = "config") throws -> MockConfiguration {
        do {
            if json {
                return try JSONDecoder().decode(MockConfiguration.self, from: data)
            }
            // An empty file (or one of comments only) has no node: the defaults.
            guard let node = try Yams.compose(yaml: String(decoding: data, as: UTF8.self)) else { return MockConfiguration() }
            return try YAMLDecoder().decode(MockConfiguration.self, from: node)
        } catch let error as BehaviourError {
            throw MockConfigurationError(path: path, message: error.description)
        } catch let error as DecodingError {
            throw MockConfigurationError(path: path, message: error.readableDescription)
        } catch {
            throw MockConfigurationError(path: path, message: "\(error)")
        }
    }

    /// The configuration as `GET /_mock/config` shows it: every behaviour resolved.
    public var json: JSONValue {
        let models = modelPatches.keys.sorted().map { ($0, behaviour(for: $0).json) }
        return [
            "seed": .int(Int(truncatingIfNeeded: seed)),
            "api_key_required": .bool(requiredAPIKey != nil),
            "default": behaviour(for: "default").json,
            "models": .object(models),
        ]
    }
}

/// A config file that cannot be used.
public struct MockConfigurationError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String

    public var description: String { "\(path): \(message)" }
}

extension DecodingError {
    /// The coding path and the problem, e.g. `models.gpt-4o.tokens_per_second: expected Double`.
    var readableDescription: String {
        let (context, problem): (Context, String) =
            switch self {
            case .typeMismatch(let type, let context): (context, "expected \(type)")
            case .valueNotFound(let type, let context): (context, "missing \(type) value")
            case .keyNotFound(let key, let context): (context, "missing key '\(key.stringValue)'")
            case .dataCorrupted(let context): (context, context.debugDescription)
            @unknown default: (Context(codingPath: [], debugDescription: ""), "\(self)")
            }
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return path.isEmpty ? problem : "\(path): \(problem)"
    }
}

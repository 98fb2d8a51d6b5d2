import ExactJSON
public import struct Foundation.Data

/// LMArena ratings (`leaderboard-text-style-control.json`, category `full`), by model identity.
///
/// Arena names carry dates and variants (`o3-2025-04-16`, `claude-sonnet-4-5-20250929`);
/// they are reduced with ``HistoryIdentity/model(_:)`` so they meet the history's keys.
/// Where several arena names reduce to one identity, the latest (greatest) name wins.
public struct ArenaRatings: Sendable, Hashable {
    public static let source = "LMArena text, style control, category full"
    public var ratings: [String: Int]

    public init(ratings: [String: Int] = [:]) { self.ratings = ratings }

    public init(data: Data, file: String) throws(ImportError) {
        let json: JSON
        do {
            json = try JSONParser.parse(data)
        } catch {
            throw ImportError(file: file, location: .file, reason: "not JSON: \(error)")
        }
        guard let full = json["full"]?.objectValue else {
            throw ImportError(file: file, location: .file, reason: "no category \"full\"")
        }
        var byName: [String: (name: String, rating: Int)] = [:]
        for member in full.members {
            guard case .number(let text)? = member.value["rating"], let rating = Double(text) else {
                throw ImportError(file: file, location: .file, reason: "\(member.key): no numeric rating")
            }
            let identity = HistoryIdentity.model(member.key)
            if let existing = byName[identity], existing.name > member.key { continue }
            byName[identity] = (member.key, Int(rating.rounded()))
        }
        ratings = byName.mapValues(\.rating)
    }

    public subscript(model: String) -> Int? { ratings[model] }
}

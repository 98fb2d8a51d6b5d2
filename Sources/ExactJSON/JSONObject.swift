/// A JSON object's members in their original order. Lookups are linear: the objects of chat
/// requests and responses have a handful of members, where a scan beats hashing.
public struct JSONObject: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: JSON
    }

    public private(set) var members: [Member]

    public init() { members = [] }

    public init(_ pairs: some Sequence<(String, JSON)>) {
        members = pairs.map { Member(key: $0.0, value: $0.1) }
    }

    public init(members: [Member]) { self.members = members }

    public var isEmpty: Bool { members.isEmpty }
    public var keys: [String] { members.map(\.key) }

    /// The value of the first member called `key` (a duplicate key is legal JSON; the first wins).
    public subscript(key: String) -> JSON? {
        members.first { $0.key == key }?.value
    }

    /// Replaces the member `key` in place, keeping its position, or appends it.
    public mutating func set(_ key: String, _ value: JSON) {
        if let index = members.firstIndex(where: { $0.key == key }) {
            members[index].value = value
            var position = index + 1
            while position < members.count {
                if members[position].key == key { members.remove(at: position) } else { position += 1 }
            }
        } else {
            members.append(Member(key: key, value: value))
        }
    }

    /// Sets `key` only when there is a value: for optional fields that are omitted, not null.
    public mutating func setIfPresent(_ key: String, _ value: JSON?) {
        if let value { set(key, value) }
    }

    public mutating func remove(_ key: String) {
        members.removeAll { $0.key == key }
    }

    /// Equal when both have the same keys with equal values, in any order: JSON objects are
    /// unordered, the order is kept only so that pass-through output reads like its input.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return lhs.members.allSatisfy { member in rhs[member.key] == member.value }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSON)...) { self.init(elements) }
}

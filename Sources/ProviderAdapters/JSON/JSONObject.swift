/// A JSON object's members in their original order. Lookups are linear: the objects of chat
/// requests and responses have a handful of members, where a scan beats hashing.
struct JSONObject: Sendable, Equatable {
    struct Member: Sendable, Equatable {
        var key: String
        var value: JSON
    }

    private(set) var members: [Member]

    init() { members = [] }

    init(_ pairs: some Sequence<(String, JSON)>) {
        members = pairs.map { Member(key: $0.0, value: $0.1) }
    }

    init(members: [Member]) { self.members = members }

    var isEmpty: Bool { members.isEmpty }
    var keys: [String] { members.map(\.key) }

    /// The value of the first member called `key` (a duplicate key is legal JSON; the first wins).
    subscript(key: String) -> JSON? {
        members.first { $0.key == key }?.value
    }

    /// Replaces the member `key` in place, keeping its position, or appends it.
    mutating func set(_ key: String, _ value: JSON) {
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
    mutating func setIfPresent(_ key: String, _ value: JSON?) {
        if let value { set(key, value) }
    }

    mutating func remove(_ key: String) {
        members.removeAll { $0.key == key }
    }

    /// Equal when both have the same keys with equal values, in any order: JSON objects are
    /// unordered, the order is kept only so that pass-through output reads like its input.
    static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        return lhs.members.allSatisfy { member in rhs[member.key] == member.value }
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    init(dictionaryLiteral elements: (String, JSON)...) { self.init(elements) }
}

import Foundation

/// Who may use the control socket, checked against each connection's `SO_PEERCRED` and
/// `SO_PEERGROUPS`: root, the daemon's own uid, the configured uids, and members of the
/// configured groups and of the socket's group — by the connecting process's own groups
/// (primary and supplementary, as the kernel reports them: systemd's `SupplementaryGroups=`
/// counts) or the user's in the group database.
public struct ControlAccess: Sendable, Hashable {
    public var uids: Set<UInt32>
    public var gids: Set<UInt32>

    public init(uids: Set<UInt32>, gids: Set<UInt32>) {
        self.uids = uids
        self.gids = gids
    }

    /// The access a configuration grants a daemon running as `ownUID`.
    public init(configuration: GatewayConfiguration, ownUID: UInt32, socketGroup: UInt32?) {
        uids = Set(configuration.controlAllowedUIDs).union([0, ownUID])
        gids = Set(configuration.controlAllowedGIDs)
        if let socketGroup { gids.insert(socketGroup) }
    }

    /// A peer: its uid, primary gid, supplementary groups and pid as the kernel reported them.
    public struct Peer: Sendable, Hashable, CustomStringConvertible {
        public var pid: Int32
        public var uid: UInt32
        public var gid: UInt32
        /// The process's supplementary groups (`SO_PEERGROUPS`); empty when unknown.
        public var groups: Set<UInt32>

        public init(pid: Int32, uid: UInt32, gid: UInt32, groups: Set<UInt32> = []) {
            self.pid = pid
            self.uid = uid
            self.gid = gid
            self.groups = groups
        }

        public var description: String { "pid \(pid) uid \(uid) gid \(gid)" }
    }

    public func allows(_ peer: Peer) -> Bool {
        if uids.contains(peer.uid) { return true }
        if gids.isEmpty { return false }
        if gids.contains(peer.gid) || !gids.isDisjoint(with: peer.groups) { return true }
        return !gids.isDisjoint(with: Self.groups(ofUID: peer.uid, primary: peer.gid))
    }

    /// The groups the user is a member of, from the user and group databases.
    static func groups(ofUID uid: UInt32, primary: UInt32) -> Set<UInt32> {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil, let name = entry.pw_name else {
            return [primary]
        }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, primary, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(name, primary, &groups, &count) >= 0 else { return [primary] }
        }
        return Set(groups.prefix(Int(count)))
    }

    /// A group given by name or number.
    public static func groupID(_ text: String) -> UInt32? {
        if let number = UInt32(text) { return number }
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        guard getgrnam_r(text, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return entry.gr_gid
    }
}

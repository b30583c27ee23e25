namespace P2psip.Messages;

/// <summary>Message codes of RFC 6940 §14.8: requests are odd, the answer is the request code plus one.</summary>
public static class MessageCodes
{
    public const ushort Invalid = 0x0;
    public const ushort ProbeReq = 0x1, ProbeAns = 0x2;
    public const ushort AttachReq = 0x3, AttachAns = 0x4;
    public const ushort StoreReq = 0x7, StoreAns = 0x8;
    public const ushort FetchReq = 0x9, FetchAns = 0xA;
    public const ushort FindReq = 0xD, FindAns = 0xE;
    public const ushort JoinReq = 0xF, JoinAns = 0x10;
    public const ushort LeaveReq = 0x11, LeaveAns = 0x12;
    public const ushort UpdateReq = 0x13, UpdateAns = 0x14;
    public const ushort RouteQueryReq = 0x15, RouteQueryAns = 0x16;
    public const ushort PingReq = 0x17, PingAns = 0x18;
    public const ushort StatReq = 0x19, StatAns = 0x1A;
    public const ushort AppAttachReq = 0x1D, AppAttachAns = 0x1E;
    public const ushort ConfigUpdateReq = 0x21, ConfigUpdateAns = 0x22;
    public const ushort ExpAReq = 0x23, ExpAAns = 0x24;
    public const ushort ExpBReq = 0x25, ExpBAns = 0x26;
    public const ushort Error = 0xFFFF;

    /// <summary>Every code this codec gives a typed body, in code order.</summary>
    public static IReadOnlyList<ushort> Defined { get; } =
    [
        ProbeReq, ProbeAns, AttachReq, AttachAns, StoreReq, StoreAns, FetchReq, FetchAns, FindReq, FindAns,
        JoinReq, JoinAns, LeaveReq, LeaveAns, UpdateReq, UpdateAns, RouteQueryReq, RouteQueryAns,
        PingReq, PingAns, StatReq, StatAns, AppAttachReq, AppAttachAns, ConfigUpdateReq, ConfigUpdateAns, Error,
    ];

    /// <summary>0x8000 through 0xFFFE: reserved (§6.3.3), never a valid message.</summary>
    public static bool IsReserved(ushort code) => code is >= 0x8000 and < Error;

    public static bool IsRequest(ushort code) => code is > 0 and < 0x8000 && (code & 1) == 1;
    public static bool IsAnswer(ushort code) => code is > 0 and < 0x8000 && (code & 1) == 0;

    /// <summary>The RFC's name for a code (§14.8), or null for an unassigned one.</summary>
    public static string? NameOf(ulong code) => code switch
    {
        0x0 => "invalidMessageCode",
        0x1 => "probe_req", 0x2 => "probe_ans",
        0x3 => "attach_req", 0x4 => "attach_ans",
        0x7 => "store_req", 0x8 => "store_ans",
        0x9 => "fetch_req", 0xA => "fetch_ans",
        0xD => "find_req", 0xE => "find_ans",
        0xF => "join_req", 0x10 => "join_ans",
        0x11 => "leave_req", 0x12 => "leave_ans",
        0x13 => "update_req", 0x14 => "update_ans",
        0x15 => "route_query_req", 0x16 => "route_query_ans",
        0x17 => "ping_req", 0x18 => "ping_ans",
        0x19 => "stat_req", 0x1A => "stat_ans",
        0x1D => "app_attach_req", 0x1E => "app_attach_ans",
        0x21 => "config_update_req", 0x22 => "config_update_ans",
        0x23 => "exp_a_req", 0x24 => "exp_a_ans",
        0x25 => "exp_b_req", 0x26 => "exp_b_ans",
        0xFFFF => "error",
        _ => null,
    };
}

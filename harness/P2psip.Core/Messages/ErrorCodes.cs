namespace P2psip.Messages;

/// <summary>Error codes of RFC 6940 §14.9, carried in an ErrorResponse (§6.3.3.1).</summary>
public static class ErrorCodes
{
    public const ushort Invalid = 0x0;
    public const ushort Forbidden = 0x2;
    public const ushort NotFound = 0x3;
    public const ushort RequestTimeout = 0x4;
    public const ushort GenerationCounterTooLow = 0x5;
    public const ushort IncompatibleWithOverlay = 0x6;
    public const ushort UnsupportedForwardingOption = 0x7;
    public const ushort DataTooLarge = 0x8;
    public const ushort DataTooOld = 0x9;
    public const ushort TtlExceeded = 0xA;
    public const ushort MessageTooLarge = 0xB;
    public const ushort UnknownKind = 0xC;
    public const ushort UnknownExtension = 0xD;
    public const ushort ResponseTooLarge = 0xE;
    public const ushort ConfigTooOld = 0xF;
    public const ushort ConfigTooNew = 0x10;
    public const ushort InProgress = 0x11;
    public const ushort ExpA = 0x12;
    public const ushort ExpB = 0x13;
    public const ushort InvalidMessage = 0x14;

    public static IReadOnlyList<ushort> Defined { get; } =
    [
        Forbidden, NotFound, RequestTimeout, GenerationCounterTooLow, IncompatibleWithOverlay, UnsupportedForwardingOption,
        DataTooLarge, DataTooOld, TtlExceeded, MessageTooLarge, UnknownKind, UnknownExtension, ResponseTooLarge,
        ConfigTooOld, ConfigTooNew, InProgress, ExpA, ExpB, InvalidMessage,
    ];

    public static string? NameOf(ulong code) => code switch
    {
        0x0 => "invalidErrorCode",
        0x2 => "Error_Forbidden",
        0x3 => "Error_Not_Found",
        0x4 => "Error_Request_Timeout",
        0x5 => "Error_Generation_Counter_Too_Low",
        0x6 => "Error_Incompatible_with_Overlay",
        0x7 => "Error_Unsupported_Forwarding_Option",
        0x8 => "Error_Data_Too_Large",
        0x9 => "Error_Data_Too_Old",
        0xA => "Error_TTL_Exceeded",
        0xB => "Error_Message_Too_Large",
        0xC => "Error_Unknown_Kind",
        0xD => "Error_Unknown_Extension",
        0xE => "Error_Response_Too_Large",
        0xF => "Error_Config_Too_Old",
        0x10 => "Error_Config_Too_New",
        0x11 => "Error_In_Progress",
        0x12 => "Error_Exp_A",
        0x13 => "Error_Exp_B",
        0x14 => "Error_Invalid_Message",
        _ => null,
    };
}

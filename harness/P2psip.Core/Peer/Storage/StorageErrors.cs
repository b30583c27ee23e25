using System.Buffers.Binary;
using P2psip.Messages;
using P2psip.Messages.Storage;
using P2psip.Wire;

namespace P2psip.Peer.Storage;

/// <summary>The error responses the storage methods answer with (§6.3.3.1, §7.4.1.2).</summary>
public static class StorageErrors
{
    public static ErrorResponse Forbidden(string why) => ErrorResponse.Of(ErrorCodes.Forbidden, why);
    public static ErrorResponse NotFound(string why) => ErrorResponse.Of(ErrorCodes.NotFound, why);
    public static ErrorResponse DataTooOld(string why) => ErrorResponse.Of(ErrorCodes.DataTooOld, why);
    public static ErrorResponse DataTooLarge(string why) => ErrorResponse.Of(ErrorCodes.DataTooLarge, why);
    public static ErrorResponse MessageTooLarge(string why) => ErrorResponse.Of(ErrorCodes.MessageTooLarge, why);
    public static ErrorResponse InvalidMessage(string why) => ErrorResponse.Of(ErrorCodes.InvalidMessage, why);

    /// <summary>
    /// Error_Unknown_Kind, whose error_info is <c>KindId unknown_kinds&lt;0..2^8-1&gt;</c> (§7.4.1.2):
    /// a one-byte length and the Kind-IDs, at most 63 of them.
    /// </summary>
    public static ErrorResponse UnknownKinds(IEnumerable<uint> kinds)
    {
        var list = kinds.Distinct().Take(255 / 4).ToArray();
        var info = new byte[1 + 4 * list.Length];
        info[0] = (byte)(4 * list.Length);
        for (int i = 0; i < list.Length; i++) BinaryPrimitives.WriteUInt32BigEndian(info.AsSpan(1 + 4 * i), list[i]);
        return new ErrorResponse(ErrorCodes.UnknownKind, info);
    }

    /// <summary>The Kind-IDs of an Error_Unknown_Kind's error_info, or null when it is not that shape.</summary>
    public static uint[]? UnknownKindsOf(ErrorResponse error)
    {
        var info = error.ErrorInfo.Span;
        if (error.ErrorCode != ErrorCodes.UnknownKind || info.Length < 1 || info[0] != info.Length - 1 || info[0] % 4 != 0) return null;
        var kinds = new uint[info[0] / 4];
        for (int i = 0; i < kinds.Length; i++) kinds[i] = BinaryPrimitives.ReadUInt32BigEndian(info[(1 + 4 * i)..]);
        return kinds;
    }

    /// <summary>
    /// Error_Generation_Counter_Too_Low, whose error_info is a StoreAns with the current generation
    /// counter of each Kind and empty replica lists (§7.4.1.2).
    /// </summary>
    public static ErrorResponse GenerationCounterTooLow(StoreAns current)
    {
        var w = new WireWriter(64);
        current.WriteFields(w);
        return new ErrorResponse(ErrorCodes.GenerationCounterTooLow, w.ToArray());
    }

    /// <summary>The StoreAns inside an Error_Generation_Counter_Too_Low, or null when it does not decode.</summary>
    public static StoreAns? StoreAnsOf(ErrorResponse error, DecodeOptions? options = null)
    {
        if (error.ErrorCode != ErrorCodes.GenerationCounterTooLow) return null;
        var r = new WireReader(error.ErrorInfo.Memory, options);
        return StoreAns.TryRead(ref r, out var body) && r.AtEnd ? body as StoreAns : null;
    }
}

using P2psip.Messages;
using P2psip.Tests.Wire;

namespace P2psip.Tests.Capture;

/// <summary>Messages and temporary files shared by the capture and CLI tests.</summary>
internal static class CaptureSamples
{
    public static byte[] ErrorMessage(string info = "nothing here") =>
        ReloadCodec.Encode(MessageRoundTripTests.Sample(ErrorResponse.Of(ErrorCodes.NotFound, info)));

    /// <summary>A message longer than several TCP segments.</summary>
    public static byte[] LargeMessage() => ErrorMessage(new string('x', 5000));

    public static string TempPath(string extension)
    {
        var directory = Path.Combine(Path.GetTempPath(), "p2psip-tests");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, $"{Guid.NewGuid():N}{extension}");
    }
}

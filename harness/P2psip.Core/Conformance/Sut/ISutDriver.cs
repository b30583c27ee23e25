using P2psip.Messages;
using P2psip.Peer.Transport;

namespace P2psip.Conformance.Sut;

/// <summary>
/// A SUT the harness can ask to originate a request, as an application on it would (a SIP lookup).
/// Only the embedded reference offers it; cases that need the SUT as the requester (UN-1c, UN-2a:
/// what it accepts as an answer) are not applicable to other SUTs. The stimulus goes through this;
/// the observation stays outside: what the SUT's request came back with.
/// </summary>
public interface ISutDriver
{
    /// <summary>Sends <paramref name="request"/> from the SUT to <paramref name="destination"/> and returns what the SUT concluded.</summary>
    Task<RequestOutcome> RequestAsync(Destination destination, MessageBody request);

    /// <summary>Looks a Resource-ID up with a Fetch as the SUT's application would, with its lookup defences (redundant lookups, §13.6.6).</summary>
    Task<Peer.Lookup.LookupResult> LookupAsync(Messages.Storage.FetchReq fetch);
}

using P2psip.Adversary;
using P2psip.Links;
using P2psip.Messages;
using static P2psip.Tests.Adversary.AdversaryTestKit;

namespace P2psip.Tests.Adversary;

/// <summary>
/// The engine on today's LinkTap of an in-memory link: what arrives at the far end is exactly what
/// the rules say — changed in one field, dropped, duplicated, answered in place of the receiver,
/// closed — and every other message arrives byte for byte.
/// </summary>
public class AdversaryLinkTapTests
{
    private static async Task<byte[]> Receive(IOverlayLink link)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var message = await link.ReceiveAsync(cancel.Token);
        Assert.NotNull(message);
        return message.Value.ToArray();
    }

    [Fact]
    public async Task Outbound_rules_change_drop_and_duplicate_what_the_far_end_receives()
    {
        var (a, b) = InMemoryLink.CreatePair();
        var engine = Engine("""
            name: on-the-link
            rules:
              - match: {code: store_req}
                actions: [{mutate: {path: forwarding_header.ttl, op: set, value: 3}}]
              - match: {code: ping_req}
                actions: [drop]
              - match: {code: fetch_req}
                actions: [{duplicate: {count: 1}}]
            """);
        var tap = AdversaryLinkTap.Attach(a, engine, Local);
        Assert.Equal(a.PeerNodeId, tap.RemoteNodeId);

        var store = CorpusMessage("store_req");
        await a.SendAsync(store);
        var changed = await Receive(b);
        Assert.Equal([11], Differences(store, changed));
        Assert.Equal(3, changed[11]);

        await a.SendAsync(CorpusMessage("ping_req"));   // dropped
        await a.SendAsync(CorpusMessage("attach_req")); // no rule: unchanged
        Assert.Equal(CorpusMessage("attach_req"), await Receive(b));

        var fetch = CorpusMessage("fetch_req");
        await a.SendAsync(fetch);
        Assert.Equal(fetch, await Receive(b));
        await tap.Idle();
        Assert.Equal(fetch, await Receive(b)); // the duplicate, sent through the link and not decided again
        Assert.Equal(4, engine.Log.Records.Count);
        Assert.Empty(tap.Unapplied);
    }

    [Fact]
    public async Task An_inbound_request_is_answered_in_place_of_the_receiver()
    {
        var (a, b) = InMemoryLink.CreatePair();
        var engine = Engine(OneRule("[drop, {forge: {template: error, error_code: Error_Forbidden, info: forged}}]", "{direction: inbound, code: fetch_req}"));
        AdversaryLinkTap.Attach(b, engine, Remote);
        b.Start(); // links deliver to their pipeline (and so to the tap) only once started

        var request = CorpusMessage("fetch_req");
        await a.SendAsync(request);
        var answer = Decode(await Receive(a)); // came back to the sender; b's owner never saw the request
        Assert.Equal(Decode(request).Header.TransactionId, answer.Header.TransactionId);
        Assert.Equal(ErrorCodes.Forbidden, Assert.IsType<ErrorResponse>(answer.Body).ErrorCode);

        await a.SendAsync(CorpusMessage("ping_req"));
        Assert.Equal(CorpusMessage("ping_req"), await Receive(b)); // the next message is the first b sees
    }

    [Fact]
    public async Task What_a_tap_cannot_do_is_handed_to_the_pipeline()
    {
        var (a, b) = InMemoryLink.CreatePair();
        var engine = Engine(OneRule("[{duplicate: {count: 2}}, {redirect: {to: bob}}]", "{code: store_req}"));
        var tap = new AdversaryLinkTap(engine, Remote, Local);
        var deferred = new List<(AdversaryEffect Effect, LinkDirection Direction)>();
        tap.Deferred += (effect, direction) => deferred.Add((effect, direction));
        b.Tap = tap.Tap;

        var store = CorpusMessage("store_req");
        await a.SendAsync(store);
        await a.SendAsync(CorpusMessage("ping_req"));
        Assert.Equal(CorpusMessage("ping_req"), await Receive(b)); // the store went elsewhere
        Assert.Equal(3, deferred.Count);
        Assert.All(deferred, d =>
        {
            var redirect = Assert.IsType<RedirectEffect>(d.Effect);
            Assert.Equal(store, redirect.Bytes);
            Assert.Equal(LinkDirection.Inbound, d.Direction);
        });
        Assert.Equal(3, tap.Unapplied.Count);
    }

    [Fact]
    public async Task Close_disposes_the_link_after_the_message()
    {
        var (a, b) = InMemoryLink.CreatePair();
        var tap = AdversaryLinkTap.Attach(a, Engine(OneRule("[close]", "{code: leave_req}")), Local);
        b.Start(); // b takes the message before a closes (an unstarted link's queue goes with the close)
        await a.SendAsync(CorpusMessage("leave_req"));
        Assert.Equal(CorpusMessage("leave_req"), await Receive(b));
        await tap.Idle();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Null(await b.ReceiveAsync(cancel.Token));
    }
}

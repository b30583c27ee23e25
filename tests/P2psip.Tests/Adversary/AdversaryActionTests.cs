using P2psip.Adversary;
using P2psip.Links;
using P2psip.Messages;
using P2psip.Messages.Security;
using P2psip.Messages.Storage;
using P2psip.Messages.Topology;
using P2psip.Messages.Chord;
using P2psip.Security;
using P2psip.Tests.Security;
using P2psip.Wire;
using static P2psip.Tests.Adversary.AdversaryTestKit;

namespace P2psip.Tests.Adversary;

/// <summary>
/// Each action on corpus messages changes exactly what it says and nothing else: the bytes out are
/// compared with the bytes in, offset by offset or field by field.
/// </summary>
public class AdversaryActionTests
{
    public static TheoryData<string> CorpusMessages() => new(MessageNames());

    [Theory]
    [MemberData(nameof(CorpusMessages))]
    public void Pass_forwards_the_same_bytes_and_an_empty_scenario_does_too(string name)
    {
        var bytes = CorpusMessage(name);
        foreach (var engine in new[] { Engine("name: empty\nrules: []"), Engine(OneRule("[pass]")) })
        {
            var decision = engine.Decide(Message(bytes));
            var forward = Assert.IsType<ForwardEffect>(Assert.Single(decision.Effects));
            Assert.Same(bytes, forward.Bytes);
            Assert.Equal(TimeSpan.Zero, forward.Delay);
        }
    }

    [Theory]
    [MemberData(nameof(CorpusMessages))]
    public void Drop_forwards_nothing(string name)
    {
        var decision = Engine(OneRule("[drop]")).Decide(Message(CorpusMessage(name)));
        Assert.True(decision.Dropped);
        Assert.Empty(decision.Effects);
        Assert.Equal(0, decision.RuleIndex);
    }

    [Fact]
    public void Delay_with_jitter_forwards_the_same_bytes_within_the_window()
    {
        var bytes = CorpusMessage("store_req");
        var engine = Engine(OneRule("[{delay: {ms: 100, jitter: 30}}]"));
        var delays = new HashSet<double>();
        for (int i = 0; i < 40; i++)
        {
            var forward = Assert.IsType<ForwardEffect>(Assert.Single(engine.Decide(Message(bytes, position: i)).Effects));
            Assert.Same(bytes, forward.Bytes);
            Assert.InRange(forward.Delay.TotalMilliseconds, 70, 130);
            delays.Add(forward.Delay.TotalMilliseconds);
        }
        Assert.True(delays.Count > 5, "the jitter draws vary with the message position");
    }

    [Fact]
    public void Duplicate_forwards_count_more_identical_copies()
    {
        var bytes = CorpusMessage("fetch_req");
        var decision = Engine(OneRule("[{duplicate: {count: 3}}]")).Decide(Message(bytes));
        Assert.Equal(4, decision.Effects.Count);
        Assert.All(decision.Effects, e => Assert.Equal(bytes, Assert.IsType<ForwardEffect>(e).Bytes));
    }

    [Fact]
    public void Mutate_set_on_ttl_changes_that_byte_only()
    {
        var bytes = CorpusMessage("store_req");
        var decision = Engine(OneRule("[{mutate: {path: forwarding_header.ttl, op: set, value: 1}}]")).Decide(Message(bytes));
        var output = Assert.IsType<ForwardEffect>(Assert.Single(decision.Effects)).Bytes;
        Assert.Equal([11], Differences(bytes, output));
        Assert.Equal(1, Decode(output).Header.Ttl);
    }

    [Fact]
    public void Mutate_add_wraps_at_the_field_width()
    {
        var bytes = CorpusMessage("store_req"); // ttl 100
        var output = Single(Engine(OneRule("[{mutate: {path: forwarding_header.ttl, op: add, value: 200}}]")), bytes);
        Assert.Equal([11], Differences(bytes, output));
        Assert.Equal((byte)((100 + 200) & 0xff), output[11]);
    }

    [Fact]
    public void Mutate_xor_on_a_byte_field_flips_those_bytes_only()
    {
        var bytes = CorpusMessage("fetch_req");
        var map = ReloadCodec.FieldMap(Decode(bytes));
        var resource = map.Find("message_contents.message_body.fetch_req.resource.value")!;
        var output = Single(Engine(OneRule("[{mutate: {path: message_contents.message_body.fetch_req.resource.value, op: xor, value: ff}}]")), bytes);
        Assert.Equal(Enumerable.Range(resource.Offset, resource.Length).ToArray(), Differences(bytes, output));
        for (int i = 0; i < resource.Length; i++) Assert.Equal((byte)(bytes[resource.Offset + i] ^ 0xff), output[resource.Offset + i]);
    }

    [Fact]
    public void Mutate_a_length_field_changes_it_and_breaks_the_message_there()
    {
        var bytes = CorpusMessage("store_req");
        var output = Single(Engine(OneRule("[{mutate: {path: message_contents.message_body.length, op: set, value: 7}}]")), bytes);
        Assert.All(Differences(bytes, output), offset => Assert.InRange(offset, 58, 61)); // the uint32 at offset 58 only
        Assert.Equal(7u, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(output.AsSpan(58)));
        Assert.NotNull(ReloadCodec.Decode(output).Error);
    }

    [Fact]
    public void Mutate_truncate_shortens_the_field_and_the_lengths_around_it_follow()
    {
        var bytes = CorpusMessage("fetch_req");
        var output = Single(Engine(OneRule("[{mutate: {path: message_contents.message_body.fetch_req.resource.value, op: truncate, count: 4}}]")), bytes);
        var before = Decode(bytes);
        var after = Decode(output);
        var request = (FetchReq)before.Body;
        Assert.Equal(before with { Contents = before.Contents with { Body = request with { Resource = request.Resource.Span[..4].ToArray() } } }, after);
    }

    [Fact]
    public void Mutate_insert_and_delete_act_inside_the_field()
    {
        var bytes = CorpusMessage("join_req");
        var id = ((JoinReq)Decode(bytes).Body).JoiningPeerId.ToArray();
        const string Path = "message_contents.message_body.join_req.joining_peer_id";
        var inserted = Single(Engine(OneRule($"[{{mutate: {{path: {Path}, op: insert, value: aabb, offset: 2}}}}]")), bytes);
        Assert.Equal(bytes.Length + 2, inserted.Length);
        Assert.Equal([.. id[..2], 0xaa, 0xbb, .. id[2..]], inserted.AsSpan(62, 18).ToArray());
        var deleted = Single(Engine(OneRule($"[{{mutate: {{path: {Path}, op: delete, offset: 1, count: 3}}}}]")), bytes);
        Assert.Equal(bytes.Length - 3, deleted.Length);
        Assert.Equal([id[0], .. id[4..]], deleted.AsSpan(62, 13).ToArray());
    }

    [Fact]
    public void Mutate_random_draws_from_the_seed_and_the_position()
    {
        var bytes = CorpusMessage("fetch_req");
        var scenario = OneRule("[{mutate: {path: forwarding_header.transaction_id, op: random}}]");
        var a = Single(Engine(scenario, seed: 5), bytes);
        var b = Single(Engine(scenario, seed: 5), bytes);
        var c = Single(Engine(scenario, seed: 6), bytes);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(Differences(bytes, a), offset => Assert.InRange(offset, 20, 27)); // transaction_id only
    }

    [Fact]
    public void Mutate_with_a_wildcard_changes_every_element()
    {
        var bytes = CorpusMessage("update_req");
        var output = Single(Engine(OneRule("[{mutate: {path: \"message_contents.message_body.update_req.successors[*]\", op: set, value: c011c011c011c011c011c011c011c011}}]")), bytes);
        var before = (FullUpdate)((UpdateReq)Decode(bytes).Body).Update;
        var after = (FullUpdate)((UpdateReq)Decode(output).Body).Update;
        Assert.All(after.Successors, s => Assert.Equal(Opaque.FromHex("c011c011c011c011c011c011c011c011"), s));
        Assert.Equal(before with { Successors = after.Successors }, after);
    }

    [Fact]
    public void Splice_before_a_list_element_adds_an_element_and_recomputes_the_lengths()
    {
        var bytes = CorpusMessage("update_req");
        const string Fabricated = "0badc0de0badc0de0badc0de0badc0de";
        var output = Single(Engine(OneRule($"[{{splice: {{where: before, path: \"message_contents.message_body.update_req.successors[0]\", hex: {Fabricated}}}}}]")), bytes);
        var before = (FullUpdate)((UpdateReq)Decode(bytes).Body).Update;
        var after = (FullUpdate)((UpdateReq)Decode(output).Body).Update;
        Assert.Equal([Opaque.FromHex(Fabricated), .. before.Successors], after.Successors.ToArray());
        Assert.Equal(before with { Successors = after.Successors }, after);
    }

    [Fact]
    public void Splice_at_an_offset_inserts_and_deletes_raw_bytes()
    {
        var bytes = CorpusMessage("ping_req");
        var output = Single(Engine(OneRule("[{splice: {where: at, offset: 4, delete: 2, hex: deadbeef}}]")), bytes);
        Assert.Equal([.. bytes[..4], 0xde, 0xad, 0xbe, 0xef, .. bytes[6..]], output);
    }

    [Fact]
    public void Keep_leaves_the_old_signature_so_a_changed_message_no_longer_verifies()
    {
        var signed = ReloadCodec.Encode(MessageSigner.Sign(Decode(CorpusMessage("store_req")), TestPki.Shared.Alice));
        Assert.True(MessageSigner.Verify(Decode(signed)).Valid);
        var output = Single(Engine(OneRule("[{mutate: {path: message_contents.message_body.store_req.replica_number, op: set, value: 1, signature: keep}}]")), signed);
        Assert.Single(Differences(signed, output));
        Assert.False(MessageSigner.Verify(Decode(output)).Valid);
    }

    [Fact]
    public void Strip_removes_the_signature_and_nothing_else()
    {
        var message = MessageSigner.Sign(Decode(CorpusMessage("fetch_req")), TestPki.Shared.Alice);
        var output = Decode(Single(Engine(OneRule("[{pass: {signature: strip}}]")), ReloadCodec.Encode(message)));
        Assert.Equal(message with { Security = message.Security with { Signature = Signature.Unsigned } }, output);
    }

    [Fact]
    public void Resign_signs_the_changed_message_as_the_named_identity()
    {
        var message = MessageSigner.Sign(Decode(CorpusMessage("store_req")), TestPki.Shared.Alice);
        var output = Decode(Single(Engine(OneRule("[{mutate: {path: message_contents.message_body.store_req.replica_number, op: set, value: 1, signature: resign, as: bob}}]")), ReloadCodec.Encode(message)));
        var check = MessageSigner.Verify(output);
        Assert.True(check.Valid, check.ToString());
        Assert.Equal(TestPki.Shared.Bob.NodeId, check.SignerNodeId);
        Assert.Equal(1, ((StoreReq)output.Body).ReplicaNumber);
        Assert.Equal(message.Contents with { Body = (StoreReq)output.Body }, output.Contents);
        Assert.Equal(message.Header, output.Header);
    }

    [Fact]
    public void Resign_after_an_edit_that_breaks_the_message_signs_the_edited_bytes()
    {
        var bytes = CorpusMessage("ping_req");
        var output = Single(Engine(OneRule("[{mutate: {path: message_contents.message_body.length, op: add, value: 1, signature: resign, as: alice}}]")), bytes);
        Assert.NotNull(ReloadCodec.Decode(output).Error);
        // The security block is the last thing written: find the signature by its certificate hash.
        var hash = TestPki.Shared.Alice.Certificate.Hash;
        Assert.True(output.AsSpan().IndexOf(hash) > 0, "the signer identity names alice's certificate");
    }

    [Fact]
    public void Forge_error_answers_the_request_back_along_its_path()
    {
        var request = Decode(CorpusMessage("fetch_req"));
        var decision = Engine(OneRule("[drop, {forge: {template: error, error_code: Error_Not_Found, info: gone}}]")).Decide(Message(CorpusMessage("fetch_req"), LinkDirection.Inbound));
        var inject = Assert.IsType<InjectEffect>(Assert.Single(decision.Effects));
        Assert.Equal(LinkDirection.Outbound, inject.Direction); // back toward the sender
        var answer = Decode(inject.Bytes);
        Assert.Equal(request.Header.TransactionId, answer.Header.TransactionId);
        Assert.Equal([new NodeDestination(Remote)], answer.Header.DestinationList.ToArray());
        var error = Assert.IsType<ErrorResponse>(answer.Body);
        Assert.Equal(ErrorCodes.NotFound, error.ErrorCode);
        Assert.Equal("gone", System.Text.Encoding.UTF8.GetString(error.ErrorInfo.Span));
    }

    [Fact]
    public void Forge_fetch_ans_gives_a_forged_value_per_specifier_signed_as_the_identity()
    {
        var request = Decode(CorpusMessage("fetch_req"));
        var fetch = (FetchReq)request.Body;
        var decision = Engine(OneRule("[drop, {forge: {template: fetch_ans, value: cafe, storage_time: 9, signature: resign, as: bob}}]")).Decide(Message(CorpusMessage("fetch_req"), LinkDirection.Inbound));
        var answer = Decode(Assert.IsType<InjectEffect>(Assert.Single(decision.Effects)).Bytes);
        Assert.True(MessageSigner.Verify(answer).Valid);
        var body = Assert.IsType<FetchAns>(answer.Body);
        Assert.Equal(fetch.Specifiers.Select(s => s.Kind), body.KindResponses.Select(r => r.Kind));
        foreach (var response in body.KindResponses)
        {
            var value = Assert.Single(response.Values);
            Assert.Equal(9UL, value.StorageTime);
            Assert.Equal(Opaque.FromHex("cafe"), value.Value.Data!.Value);
            Assert.True(MessageSigner.VerifyStoredData(fetch.Resource, response.Kind, value, [TestPki.Shared.Bob.Certificate.Der]).Valid);
        }
    }

    [Fact]
    public void Forge_fetch_ans_without_a_value_answers_not_found()
    {
        var decision = Engine(OneRule("[{forge: {template: fetch_ans, send: onward}}]")).Decide(Message(CorpusMessage("fetch_req")));
        Assert.Equal(CorpusMessage("fetch_req"), Assert.IsType<ForwardEffect>(decision.Effects[0]).Bytes); // not dropped
        var inject = Assert.IsType<InjectEffect>(decision.Effects[1]);
        Assert.Equal(LinkDirection.Outbound, inject.Direction);
        Assert.All(Assert.IsType<FetchAns>(Decode(inject.Bytes).Body).KindResponses, r => Assert.Empty(r.Values));
    }

    [Fact]
    public void Forge_on_an_answer_injects_nothing_and_says_why()
    {
        var decision = Engine(OneRule("[{forge: {template: error}}]")).Decide(Message(CorpusMessage("fetch_ans")));
        Assert.IsType<ForwardEffect>(Assert.Single(decision.Effects));
        Assert.Contains(decision.Record.Notes, n => n.Contains("not a request", StringComparison.Ordinal));
    }

    [Fact]
    public void Replay_after_messages_sends_the_same_bytes_with_the_nth_next_message()
    {
        var store = CorpusMessage("store_req");
        var ping = CorpusMessage("ping_req");
        var engine = Engine(OneRule("[pass, {replay: {after_messages: 2}}]", "{code: store_req}"));
        Assert.Same(store, Assert.IsType<ForwardEffect>(Assert.Single(engine.Decide(Message(store, position: 0)).Effects)).Bytes);
        Assert.Single(engine.Decide(Message(ping, position: 1)).Effects);
        var due = engine.Decide(Message(ping, position: 2)).Effects;
        Assert.Equal(2, due.Count);
        Assert.Same(ping, Assert.IsType<ForwardEffect>(due[0]).Bytes);
        var replay = Assert.IsType<InjectEffect>(due[1]);
        Assert.Equal(store, replay.Bytes);
        Assert.Equal(LinkDirection.Outbound, replay.Direction);
        Assert.Single(engine.Decide(Message(ping, position: 3)).Effects);
    }

    [Fact]
    public void Replay_after_time_to_another_node_is_scheduled_for_the_pipeline()
    {
        var bytes = CorpusMessage("store_req");
        var yaml = OneRule("[drop, {replay: {after_ms: 250, to: elsewhere, count: 2}}]").Replace("rules:", "nodes:\n  elsewhere: \"0300000000000000000000000000000c\"\nrules:", StringComparison.Ordinal);
        var effects = Engine(yaml).Decide(Message(bytes)).Effects;
        Assert.Equal(2, effects.Count);
        for (int i = 0; i < 2; i++)
        {
            var s = Assert.IsType<ScheduleEffect>(effects[i]);
            Assert.Equal(bytes, s.Bytes);
            Assert.Equal(TimeSpan.FromMilliseconds(250 * (i + 1)), s.After);
            Assert.Equal(Opaque.FromHex("0300000000000000000000000000000c"), s.To!.NodeId);
        }
    }

    [Fact]
    public void Redirect_sends_the_same_bytes_to_the_named_node()
    {
        var bytes = CorpusMessage("fetch_req");
        var effects = Engine(OneRule("[{redirect: {to: bob}}]")).Decide(Message(bytes)).Effects;
        var redirect = Assert.IsType<RedirectEffect>(Assert.Single(effects));
        Assert.Same(bytes, redirect.Bytes);
        Assert.Equal(TestPki.Shared.Bob.NodeId, redirect.To.NodeId);
    }

    [Theory]
    [InlineData("[close]", false)]
    [InlineData("[{close: {reset: true}}]", true)]
    public void Close_and_reset_end_the_link_after_the_message(string actions, bool reset)
    {
        var bytes = CorpusMessage("ping_req");
        var effects = Engine(OneRule(actions)).Decide(Message(bytes)).Effects;
        Assert.Equal(2, effects.Count);
        Assert.Same(bytes, Assert.IsType<ForwardEffect>(effects[0]).Bytes);
        Assert.Equal(reset, Assert.IsType<CloseLinkEffect>(effects[1]).Reset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("d2454c4f")]
    [InlineData("00112233445566778899")]
    public void Bytes_that_do_not_decode_are_decided_without_throwing(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var engine = Engine(OneRule("[{mutate: {path: forwarding_header.ttl, op: set, value: 1}}, {pass: {signature: resign, as: alice}}]"));
        var decision = engine.Decide(Message(bytes));
        Assert.Same(bytes, Assert.IsType<ForwardEffect>(Assert.Single(decision.Effects)).Bytes);
        Assert.Contains(decision.Record.Notes, n => n.Contains("does not decode", StringComparison.Ordinal));
    }

    private static byte[] Single(AdversaryEngine engine, byte[] bytes) =>
        Assert.IsType<ForwardEffect>(Assert.Single(engine.Decide(Message(bytes)).Effects)).Bytes;
}

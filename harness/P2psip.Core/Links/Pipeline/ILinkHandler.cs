namespace P2psip.Links;

/// <summary>
/// One step of a link's <see cref="LinkPipeline"/> (capture, the adversary's rules, certificate
/// learning). It gets every message that reaches its place in the chain and decides what goes on:
/// <list type="bullet">
/// <item>pass: <c>context.ForwardAsync(message)</c>;</item>
/// <item>change: forward other bytes, <c>context.ForwardAsync(message with { Bytes = changed })</c>;</item>
/// <item>drop: return without forwarding;</item>
/// <item>duplicate: forward twice;</item>
/// <item>delay: await a delay, then forward (this holds the link's messages behind it, in order), or
///   forward later from another task (the others pass it);</item>
/// <item>inject: <c>context.InjectAsync(new LinkMessage(direction, bytes))</c>, now or at any later time,
///   with the context kept from <see cref="Attached"/>.</item>
/// </list>
/// Inbound messages are handed over one at a time per link; outbound ones as the owner sends them.
/// </summary>
public interface ILinkHandler
{
    ValueTask HandleAsync(LinkMessage message, LinkContext context);

    /// <summary>Called once when the handler is put on a link, before the link reads its first message.</summary>
    void Attached(LinkContext context) { }
}

/// <summary>A handler made of a function, for small handlers and tests.</summary>
public sealed class LinkHandler(Func<LinkMessage, LinkContext, ValueTask> handle) : ILinkHandler
{
    public ValueTask HandleAsync(LinkMessage message, LinkContext context) => handle(message, context);
}

using System.Globalization;
using ExCraft.Core;

namespace ExCraft.Chain.Execution;

/// <summary>
/// Where an event's attributes go, one by one in order: the encoder (bytes), the text list, or the
/// set of accounts the event names. Numbers and accounts have their own overloads so a sink that
/// does not need their text (the encoder writes digits straight into its buffer; the account
/// collector keeps the address) never makes a string. The text of each is fixed here: decimal
/// digits for numbers (base units for amounts), bech32 for accounts.
/// </summary>
public abstract class EventAttributeSink
{
    public abstract void Add(string key, string value);

    public virtual void Add(string key, ulong value) => Add(key, value.ToString(CultureInfo.InvariantCulture));

    public virtual void Add(string key, UInt128 value) => Add(key, ChainEvent.Units(value));

    public virtual void Add(string key, Address value) => Add(key, AddressTextCache.TextOf(value));
}

/// <summary>
/// A typed event value that describes itself: the same attributes, in the same order and with the
/// same text, as the text form it replaces, so receipts, the app hash and every client see no
/// difference; only the work of making strings nobody reads is gone.
/// </summary>
public interface IEventDetail
{
    void Describe(EventAttributeSink sink);
}

"""kombu's Redis transport, made to survive Redis going away while a job is running.

Why: when the connection drops while the worker's event loop is inside a BRPOP and a message
is unacknowledged (a job running in a prefork child), Celery 5.7's recovery first calls
`Connection.collect()`, which closes the channel: kombu's `Channel.close()` starts by reading
the pending BRPOP reply, which raises `ConnectionError` on the dead socket, so close() stops
before the channel is marked closed (the error is swallowed as a connection error). `collect()`
then detaches the transport (`transport.client = None`), and Celery's following
`connection.close()` closes the channel again: this time it gets as far as restoring the
unacknowledged message, which builds a new Redis pool from `transport.client.hostname` --
`AttributeError: 'NoneType' object has no attribute 'hostname'`, not a connection error, so
the consumer dies and the worker exits. Idle workers have nothing to restore and survive.

The channel below treats a dead connection under the pending BRPOP as "nothing left to read"
and finishes closing, the first time, while the transport still knows its server.
"""

from queue import Empty

from kombu.transport import redis


class Channel(redis.Channel):
    def close(self):
        if self._in_poll:
            try:
                self._brpop_read()
            except (Empty, *self.connection_errors):
                pass  # the poll is over either way; _brpop_read has reset _in_poll
        super().close()


class Transport(redis.Transport):
    Channel = Channel

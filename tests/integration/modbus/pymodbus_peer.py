#!/usr/bin/python3
"""An independent Modbus RTU slave for the driver's integration test: Debian's
python3-pymodbus serves a counter display (id 1) and a clerk keypad (id 2) of the
motcua-v1 register map on a pty pair made by socat.

    pymodbus_peer.py LINK            the driver opens LINK; we serve the other end

Commands on stdin, one per line; each answer is one JSON line on stdout:
    press KEY ARG    queue a key event in the keypad's FIFO
    dump             {"display": [5 regs at 0x0100], "feedback": [4 regs at 0x0210],
                      "pending": n, "acks": n, "heartbeat": n}
    quit
"READY" is printed once the server is listening.
"""

import asyncio
import json
import os
import subprocess
import sys
import threading
import time

from pymodbus.datastore import ModbusServerContext, ModbusSlaveContext
from pymodbus.datastore.store import BaseModbusDataBlock
from pymodbus.server import StartAsyncSerialServer
from pymodbus.transaction import ModbusRtuFramer

LOCK = threading.Lock()
EVT_BLOCK, EVT_ACK = 0x0200, 0x0204


class Registers(BaseModbusDataBlock):
    """A motcua-v1 device: plain registers plus the event FIFO of register-map.md."""

    def __init__(self, role):
        self.values = {0x0000: role, 0x0001: 0x0102, 0x0002: 1, 0x0100: 0xFFFF, 0x0210: 0xFFFF}
        self.address = 0
        self.default_value = 0
        self.fifo = []  # [seq, key, arg]
        self.next_seq = 1
        self.acks = 0
        self.events = role != 1

    def validate(self, address, count=1):
        return 0 <= address and address + count <= 0x10000

    def _get(self, a):
        if self.events and EVT_BLOCK <= a < EVT_BLOCK + 4:
            if not self.fifo:
                return [self.next_seq - 1, 0, 0, 0][a - EVT_BLOCK]
            seq, key, arg = self.fifo[0]
            return [seq, len(self.fifo), key, arg][a - EVT_BLOCK]
        return self.values.get(a, 0)

    def getValues(self, address, count=1):
        with LOCK:
            return [self._get(address + i) for i in range(count)]

    def setValues(self, address, values):
        if not isinstance(values, list):
            values = [values]
        with LOCK:
            for i, v in enumerate(values):
                a = address + i
                if self.events and a == EVT_ACK:
                    # Remove the head only when EVT_ACK equals its EVT_SEQ.
                    if self.fifo and self.fifo[0][0] == v:
                        self.fifo.pop(0)
                        self.acks += 1
                else:
                    self.values[a] = v

    def press(self, key, arg):
        with LOCK:
            self.fifo.append([self.next_seq, key, arg])
            self.next_seq = (self.next_seq + 1) & 0xFFFF


def commands(display, keypad, loop):
    for line in sys.stdin:
        words = line.split()
        if not words:
            continue
        if words[0] == "press":
            keypad.press(int(words[1]), int(words[2]))
            print(json.dumps({"ok": True}), flush=True)
        elif words[0] == "dump":
            with LOCK:
                out = {
                    "display": [display.values.get(0x0100 + i, 0) for i in range(5)],
                    "feedback": [keypad.values.get(0x0210 + i, 0) for i in range(4)],
                    "pending": len(keypad.fifo),
                    "acks": keypad.acks,
                    "heartbeat": keypad.values.get(0x0003, 0),
                }
            print(json.dumps(out), flush=True)
        elif words[0] == "quit":
            break
    loop.call_soon_threadsafe(loop.stop)


async def main(link):
    server_end = link + ".peer"
    socat = subprocess.Popen(
        ["socat", "pty,raw,echo=0,link=" + server_end, "pty,raw,echo=0,link=" + link],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not (os.path.exists(server_end) and os.path.exists(link)):
        if time.monotonic() > deadline or socat.poll() is not None:
            print("socat did not create the pty pair", file=sys.stderr)
            sys.exit(1)
        await asyncio.sleep(0.01)
    display, keypad = Registers(1), Registers(2)
    slaves = {
        1: ModbusSlaveContext(hr=display, zero_mode=True),
        2: ModbusSlaveContext(hr=keypad, zero_mode=True),
    }
    context = ModbusServerContext(slaves=slaves, single=False)
    server = await StartAsyncSerialServer(
        context=context, framer=ModbusRtuFramer, port=server_end, baudrate=19200,
        bytesize=8, parity="N", stopbits=2, timeout=0.005, ignore_missing_slaves=True,
        defer_start=True)
    await server.start()
    loop = asyncio.get_running_loop()
    threading.Thread(target=commands, args=(display, keypad, loop), daemon=True).start()
    print("READY", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        socat.terminate()


if __name__ == "__main__":
    try:
        asyncio.run(main(sys.argv[1]))
    except RuntimeError:
        pass  # loop stopped by "quit"

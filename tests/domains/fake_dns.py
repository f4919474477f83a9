"""A DNS server on loopback (UDP) that answers TXT questions from a dict, so that the
real look-up (tenants.dns.dnspython_txt_lookup, dnspython) is what the tests run.

records[name] is a list of TXT strings, or one of NXDOMAIN / SERVFAIL / SILENT (never
answer: the client times out) / EMPTY (the name exists, no TXT). Unknown names: NXDOMAIN.
"""

import socket
import threading

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset

NXDOMAIN = "nxdomain"
SERVFAIL = "servfail"
SILENT = "silent"
EMPTY = "empty"


class FakeDns:
    def __init__(self):
        self.records: dict[str, object] = {}
        self.questions: list[str] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()

    def reset(self):
        self.records.clear()
        self.questions.clear()

    def _serve(self):
        while not self._stop.is_set():
            try:
                data, address = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            reply = self._answer(dns.message.from_wire(data))
            if reply is not None:
                self._sock.sendto(reply.to_wire(), address)

    def _answer(self, query):
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        self.questions.append(name)
        behaviour = self.records.get(name, NXDOMAIN)
        if behaviour == SILENT:
            return None
        reply = dns.message.make_response(query)
        if behaviour == NXDOMAIN:
            reply.set_rcode(dns.rcode.NXDOMAIN)
        elif behaviour == SERVFAIL:
            reply.set_rcode(dns.rcode.SERVFAIL)
        elif behaviour != EMPTY and question.rdtype == dns.rdatatype.TXT:
            texts = ['"' + value.replace('"', '\\"') + '"' for value in behaviour]
            reply.answer.append(dns.rrset.from_text_list(question.name, 60, "IN", "TXT", texts))
        return reply

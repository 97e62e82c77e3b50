"""The `collective` feature of the torch backend: torch.distributed, with the process-group
backend chosen from the device (gloo on cpu, nccl on cuda, hccl on npu when torch_npu is
present, gloo elsewhere). Mixed into TorchBackend: `class TorchBackend(TorchCollectives, Backend)`.
The shared request handling, data pattern and timing loop are `assay_backend.collective`'s."""

import datetime

from assay_backend import Unsupported
from assay_backend.collective import CollectiveBackend

GROUP_BACKENDS = {"cpu": "gloo", "cuda": "nccl", "npu": "hccl"}


class TorchCollectives(CollectiveBackend):
    _group = False

    def collective_join(self, rendezvous, timeout):
        import torch.distributed as dist
        if not dist.is_available():
            raise Unsupported("this torch build has no torch.distributed")
        self.collective_leave()
        backend = GROUP_BACKENDS.get(self.device.type, "gloo")
        if backend == "hccl":
            __import__("torch_npu")  # registers the hccl process group
        dist.init_process_group(backend, init_method="tcp://%s:%d" % (rendezvous.address, rendezvous.port),
                                rank=rendezvous.rank, world_size=rendezvous.world,
                                timeout=datetime.timedelta(seconds=timeout))
        self._group = True
        self._dist = dist

    def collective_leave(self):
        if self._group:
            try:
                self._dist.destroy_process_group()
            except Exception:
                pass
            self._group = False

    def collective_buffer(self, array):
        return self._to_device(array)

    def collective_empty(self, op, dtype, count):
        import torch
        return torch.empty(count, dtype=self.dtypes[dtype], device=self.device)

    def collective_host(self, buffer):
        return self._to_numpy(buffer)

    def collective_barrier(self):
        self._dist.barrier()

    def collective_finish(self, result):
        self._sync()

    def collective_p2p(self, send, recv, source, destination):
        if self.rendezvous.rank == source:
            self._dist.send(send, dst=destination)
        else:
            self._dist.recv(recv, src=source)
        return recv

    def collective_call(self, op, send, recv, root, dtype):
        dist, rank, world = self._dist, self.rendezvous.rank, self.rendezvous.world
        if op in ("all_reduce", "reduce", "broadcast") and recv is not send and (op != "broadcast" or rank == root):
            recv.copy_(send)
        if op == "all_reduce":
            dist.all_reduce(recv)
        elif op == "reduce":
            dist.reduce(recv, dst=root)
        elif op == "broadcast":
            dist.broadcast(recv, src=root)
        elif op == "all_gather":
            dist.all_gather_into_tensor(recv, send)
        elif op == "reduce_scatter":
            dist.reduce_scatter_tensor(recv, send)
        elif op == "all_to_all":
            dist.all_to_all_single(recv, send)
        else:  # send_recv: to the right neighbour, from the left one
            into = recv if recv is not send else send.clone()
            ops = [dist.P2POp(dist.isend, send, (rank + 1) % world), dist.P2POp(dist.irecv, into, (rank - 1) % world)]
            for request in dist.batch_isend_irecv(ops):
                request.wait()
            if into is not recv:
                recv.copy_(into)
        return recv

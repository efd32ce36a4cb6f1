"""Docker and Docker Compose."""
from ..intent import intent
from .vocab import DELETE

#: A container or image name (image names may carry a registry, path and tag).
NAME = r"[A-Za-z0-9][\w./:@-]*"
D = "docker"

INTENTS = [
    intent("docker.ps", "docker ps", "container|ps", f"{D} list show run running active what current up", explain="running containers"),
    intent("docker.ps.all", "docker ps -a", "container|ps all|including|every", f"{D} list show and stopped exited dead inactive non-running",
           explain="all containers, stopped ones too"),
    intent("docker.ps.stopped", "docker ps -a -f status=exited", "container|ps stopped|exited|dead|inactive|non-running", f"{D} list show only",
           avoid="all including every", explain="stopped containers only"),
    intent("docker.images", "docker images", "image", f"{D} list show all local available download what", explain="local images"),
    intent("docker.run", "docker run --rm -it <arg>", "run|start|launch container|image|docker", f"{D} interactive interactively new temporary", arg=NAME,
           explain="run the image <arg> interactively, removing the container on exit"),
    intent("docker.run.port", "docker run -d -p <port>:<port> <arg>", "run|start|launch container|image|docker", f"{D} detached background expose map publish on",
           arg=NAME, explain="run <arg> in the background, publishing port <port>"),
    intent("docker.stop", "docker stop <arg>", "stop|halt container|docker", D, arg=NAME, explain="stop the container <arg>"),
    intent("docker.stop.all", "docker stop $(docker ps -q)", "stop|halt container", f"{D} running every all", explain="stop every running container"),
    intent("docker.restart", "docker restart <arg>", "restart|reboot container|docker", D, arg=NAME, explain="restart the container <arg>"),
    intent("docker.rm", "docker rm <arg>", f"{DELETE} container", D, arg=NAME, explain="remove the stopped container <arg>"),
    intent("docker.prune.containers", "docker container prune", f"{DELETE}|prune stopped|exited|unused|dead|old container", D, explain="remove every stopped container"),
    intent("docker.rmi", "docker rmi <arg>", f"{DELETE} image", D, arg=NAME, explain="remove the image <arg>"),
    # Dangling images (untagged layers) and unused ones (no container) are different sets.
    intent("docker.prune.images", "docker image prune -a", f"{DELETE}|prune unused|old image", f"{D} all", explain="remove images no container uses"),
    intent("docker.prune.dangling", "docker image prune", f"{DELETE}|prune dangling|untagged image", f"{D} all",
           explain="remove dangling (untagged) images",
           alt=["docker rmi $(docker images -f dangling=true -q)"]),
    intent("docker.prune.system", "docker system prune", "prune|clean|cleanup|free|reclaim docker", f"{D} up unused disk everything system space", explain="remove stopped containers, unused networks and dangling images"),
    intent("docker.logs", "docker logs <arg>", "log container|docker", f"{D} show view of for print display get give", arg=NAME, explain="output of the container <arg>"),
    intent("docker.logs.follow", "docker logs -f <arg>", "log container|docker follow|tail|live|stream|watch", f"{D} show of for", arg=NAME,
           explain="follow the output of the container <arg>"),
    intent("docker.exec", "docker exec -it <arg> sh", "exec|enter|open|attach|login|connect|access|ssh|get|go container|docker", f"{D} inside interactive shell terminal", arg=NAME,
           explain="open a shell inside the container <arg>",
           alt=["docker exec -it <arg> bash"]),
    intent("docker.build", "docker build -t <arg> .", "build image|docker|dockerfile", f"{D} tag tagged named new from here", arg=NAME,
           explain="build an image from ./Dockerfile tagged <arg>"),
    intent("docker.build.untagged", "docker build .", "build image|docker|dockerfile", f"{D} from here", explain="build an image from ./Dockerfile"),
    intent("docker.pull", "docker pull <arg>", "pull|download|fetch image|docker", f"{D} latest", arg=NAME, explain="download the image <arg>"),
    intent("docker.push", "docker push <arg>", "push|upload|publish image|docker", f"{D} to registry", arg=NAME, explain="push the image <arg> to its registry"),
    intent("docker.inspect", "docker inspect <arg>", "inspect|detail|info|information container|image|docker", f"{D} show", arg=NAME, explain="full details of <arg>"),
    intent("docker.stats", "docker stats", "stat|stats|usage|resource|cpu|memory container|docker", f"{D} show live use", explain="live resource use of containers"),
    intent("docker.ip", "docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' <arg>", "ip|address container|docker",
           f"{D} show get of what", arg=NAME, explain="the IP address of the container <arg>"),
    intent("docker.volumes", "docker volume ls", "volume", f"{D} list show all", explain="Docker volumes"),
    intent("docker.networks", "docker network ls", "network docker", "list show all", explain="Docker networks"),
    intent("docker.df", "docker system df", "disk|space|usage|size docker", "show use how much", explain="disk space used by Docker"),
    intent("docker.version", "docker version", "docker version", "show what which check", explain="Docker client and server versions"),
    intent("compose.up", "docker compose up -d", "compose up|start|run|launch", f"{D} detached background service all stack", explain="start the Compose services in the background"),
    intent("compose.down", "docker compose down", "compose down|stop|halt|teardown", f"{D} service all stack", explain="stop and remove the Compose services"),
    intent("compose.logs", "docker compose logs -f", "compose log", f"{D} show follow view service all", explain="follow the logs of the Compose services"),
    intent("compose.ps", "docker compose ps", "compose ps|status|list|running", f"{D} show service container", explain="state of the Compose services"),
    intent("compose.build", "docker compose build", "compose build|rebuild", f"{D} service image all", explain="build the Compose services' images"),
    intent("compose.restart", "docker compose restart", "compose restart", f"{D} service all", explain="restart the Compose services"),
]
